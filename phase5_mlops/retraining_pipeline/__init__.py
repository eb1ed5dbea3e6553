"""Nightly retraining of the phase 2 model: contract, drift and quality gates, safe promotion."""
