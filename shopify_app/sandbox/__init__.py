"""The local sandbox: a simulated Shopify store, a storefront proxy and a runner for both."""
