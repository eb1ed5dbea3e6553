"""Constrained decoding engine: a JSON schema compiled to a character automaton, and per-step
token masks over a model's vocabulary (used by the RAG service and phase 6's structured
outputs)."""
