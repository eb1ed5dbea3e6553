"""Structured outputs: JSON-schema constrained decoding, function calling, long context, evals."""
