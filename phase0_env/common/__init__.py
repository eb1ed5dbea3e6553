"""Helpers shared by every phase: registry, seeding, parity, benchmarks, logging, service kit.

Nothing heavy is imported here; each module imports what it needs.
"""
