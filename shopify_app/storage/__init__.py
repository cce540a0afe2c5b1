"""Storage: the database connection, the Tortoise models and their migrations."""
