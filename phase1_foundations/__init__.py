"""Phase 1: foundations.

Classical ML, the math behind it (autograd, optimisers, PCA), statistics, the data
stack and a compiled hot path, each from scratch and proven against its library.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "math_foundations",
    "classical_ml",
    "stats",
    "data_stack",
    "native_ops",
    "algorithms",
)
