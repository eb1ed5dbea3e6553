"""Systems patterns: a gRPC twin of the tabular API, backpressure, caching, idempotency, retries."""
