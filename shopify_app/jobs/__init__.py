"""Background jobs: the queue every layer may defer to (`queue`), without knowing the job
functions; those are registered by `shopify_app.tasks`, above the layers that enqueue."""
