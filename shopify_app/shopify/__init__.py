"""Everything that crosses the wire to Shopify: URLs, versions, retries, throttling, tokens."""
