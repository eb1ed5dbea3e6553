"""Helpers shared by phase 4 milestones (packaged model assets); not a milestone."""
