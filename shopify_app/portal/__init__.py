"""The customer portal behind Shopify's app proxy.

A request walks: `guard` (signed proxy query, installed shop, who is visiting) →
`redemption` / `sessions` (link tokens become short-lived encrypted sessions) → a read
(`reads`) or an action (`actions`) against the Admin API → `pages` (escaped markup).
"""
