"""Code shared by the phase's milestones (no heavy imports)."""
