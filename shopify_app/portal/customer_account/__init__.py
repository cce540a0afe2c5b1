"""The backend of the customer account UI extension: `/customer-account/api/…`.

The extension runs inside Shopify's new customer accounts and calls these JSON endpoints with
its session token. A request walks: `guard` (bearer token → signed-in customer of an installed
shop) → `service` (the same reads and the same action registry as the proxy portal, so one set
of merchant rules applies) → `payloads` (JSON) → `routes` (with `cors`).
"""
