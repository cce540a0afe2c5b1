"""The local mirror of subscription contracts and their customers: upserts, counters, sync and
the contract webhooks.
"""
