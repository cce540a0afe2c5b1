"""The external API for API-key callers (integrators): magic links, the customers listing and
its OpenAPI document.
"""
