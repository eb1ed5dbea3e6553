"""Security for ML services: scoped hashed API keys, rate limits, PII redaction, secret scans."""
