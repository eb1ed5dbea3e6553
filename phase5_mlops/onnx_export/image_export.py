"""Phase 3's SmallCNN trained briefly on scikit-learn's digits and exported with torch.onnx.

torch 2.13 exports through `torch.export` (dynamo=True) by default, which needs the
`onnxscript` package; it is not installed here, so the legacy TorchScript exporter
(`dynamo=False`) is used. It traces the eval-mode graph: BatchNorm uses its running
statistics and Dropout vanishes, so the ONNX graph is the inference model only.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from phase3_deep.image_classifier.cnn import SmallCNN

SIZE = 16  # digits are 8x8; image_classifier trains them at 16x16
MEAN, STD = 0.5, 0.25  # image_classifier's fixed normalisation (same for every channel)
OPSET = 17


@dataclass
class ImageRun:
    """A trained CNN (eval mode) and the held-out images it is judged on."""

    model: nn.Module
    X_test: np.ndarray  # (N, 3, SIZE, SIZE) float32, normalised
    y_test: np.ndarray
    test_accuracy: float


class WithProbabilities(nn.Module):
    """Logits and their softmax as the two outputs an exported classifier gives."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.model(x)
        return logits, torch.softmax(logits, dim=1)


def digits_images(seed: int = 0) -> tuple[np.ndarray, ...]:
    """Digits as normalised (N, 3, 16, 16) float32 images, split 75/25 stratified."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    x = torch.from_numpy((X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8))
    x = nn.functional.interpolate(x, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    x = ((x.repeat(1, 3, 1, 1) - MEAN) / STD).numpy()
    return tuple(train_test_split(x, y, test_size=0.25, stratify=y, random_state=seed))


def train_cnn(seed: int = 0, epochs: int = 4, width: int = 8) -> ImageRun:
    """Train SmallCNN with Adam on one thread (seeded, reproducible); returns it in eval mode."""
    from phase0_env.common.seeding import seed_everything

    previous = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny net: threads cost more than they save on a shared CPU
    try:
        seed_everything(seed)
        X_tr, X_te, y_tr, y_te = digits_images(seed)
        model = SmallCNN(n_classes=10, width=width)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        gen = torch.Generator().manual_seed(seed)
        xt, yt = torch.from_numpy(X_tr), torch.from_numpy(y_tr)
        model.train()
        for _ in range(epochs):
            for idx in torch.randperm(len(yt), generator=gen).split(64):
                opt.zero_grad()
                nn.functional.cross_entropy(model(xt[idx]), yt[idx]).backward()
                opt.step()
        model.eval()
        with torch.no_grad():
            pred = model(torch.from_numpy(X_te)).argmax(1).numpy()
    finally:
        torch.set_num_threads(previous)
    return ImageRun(model, X_te, y_te, float(np.mean(pred == y_te)))


def export_cnn(model: nn.Module, classes: list[str] | None = None) -> bytes:
    """The eval-mode model as serialized ONNX: input `images` (batch dynamic), outputs
    `logits` and `probabilities`, the class names in the model's metadata."""
    import onnx

    wrapped = WithProbabilities(model).eval()
    example = torch.zeros(1, 3, SIZE, SIZE)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # the legacy exporter announces its deprecation; it is the choice made above
        warnings.simplefilter("ignore", DeprecationWarning)
        _legacy_export(wrapped, example, buf)
    proto = onnx.load_from_string(buf.getvalue())
    n_classes = proto.graph.output[0].type.tensor_type.shape.dim[1].dim_value
    entry = proto.metadata_props.add()
    entry.key = "classes"
    entry.value = json.dumps(classes or [str(i) for i in range(n_classes)])
    return proto.SerializeToString()


def native_probabilities(model: nn.Module, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logits and softmax from torch (eval mode, no grad) for float32 images."""
    with torch.no_grad():
        logits, proba = WithProbabilities(model).eval()(torch.from_numpy(images))
    return logits.numpy(), proba.numpy()


def _legacy_export(module: nn.Module, example: torch.Tensor, buf: io.BytesIO) -> None:
    torch.onnx.export(
        module,
        (example,),
        buf,
        dynamo=False,  # the dynamo exporter needs onnxscript, which is not installed
        input_names=["images"],
        output_names=["logits", "probabilities"],
        dynamic_axes={
            "images": {0: "batch"},
            "logits": {0: "batch"},
            "probabilities": {0: "batch"},
        },
        opset_version=OPSET,
    )
