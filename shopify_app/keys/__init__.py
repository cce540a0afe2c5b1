"""API keys: the integrators' credentials. Made and revoked by the admin and the CLI, checked
by the external API.
"""
