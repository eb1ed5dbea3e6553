"""Helpers shared by phase 6 milestones (seeded image scenes); not a milestone."""
