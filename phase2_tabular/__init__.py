"""Phase 2: tabular ML, end to end.

Training practice on real tables, then train -> persist -> serve as a production API.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "classical_practice",
    "tabular_api",
)
