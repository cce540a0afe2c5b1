"""Shopify's webhooks: verification, de-duplication, dispatch by topic, the route."""
