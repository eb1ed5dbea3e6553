"""Phase 3: deep learning core.

Layers, a ResNet block and a Transformer encoder from scratch with parity against torch
and transformers, a reusable training loop, and an image classifier.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "layers_from_scratch",
    "resnet_block",
    "transformer_encoder",
    "training",
    "image_classifier",
    "debug_drills",
)
