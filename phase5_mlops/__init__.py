"""Phase 5: MLOps.

Registry, retraining pipeline, drift monitoring, deploys, security, ONNX and scale-out.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "monitoring",
    "registry",
    "retraining_pipeline",
    "deploy",
    "closed_loop",
    "onnx_export",
    "scale_out",
    "security",
    "systems_patterns",
)
