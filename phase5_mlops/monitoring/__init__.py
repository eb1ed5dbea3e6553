"""Drift and data-quality monitoring: the statistical tests written here, checked against scipy."""
