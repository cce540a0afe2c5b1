"""The background job functions (import, reconciliation, purges, customer data requests) and
the worker that runs them, registered on the queue of `shopify_app.jobs` by task name."""
