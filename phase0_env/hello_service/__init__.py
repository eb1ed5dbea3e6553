"""Hello-world FastAPI service on the service kit: the smallest production-shaped service."""
