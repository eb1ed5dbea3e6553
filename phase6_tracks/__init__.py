"""Phase 6: specialization tracks.

Systems kernels, ANN search and ranking, structured outputs, and speech.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "systems_kernels",
    "ann_search",
    "structured_outputs",
    "speech",
)
