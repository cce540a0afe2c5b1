"""The embedded merchant admin: app home, page, JSON routes, session-token guard, settings
and reports.
"""
