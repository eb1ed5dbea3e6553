"""Phase 6: specialization tracks.

Systems kernels, ANN search and ranking, structured outputs, speech, vision (detection and
segmentation), and generative vision.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "systems_kernels",
    "ann_search",
    "structured_outputs",
    "speech",
    "vision",
    "generative_vision",
)
