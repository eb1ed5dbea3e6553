"""An ImageFolder-style dataset: `root/<class name>/<image>` read with PIL, no torchvision.

Classes are the sub-folder names in sorted order (index = position), samples are sorted by
path, only known image extensions count, and images are returned as float tensors (C, H, W) in
[0, 1]: the conventions of torchvision's ImageFolder + ToTensor, written here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PIL import Image

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
Transform = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def load_image(path: str | Path) -> torch.Tensor:
    """An image file as a float32 RGB tensor (3, H, W) with values in [0, 1]."""
    with Image.open(path) as img:
        array = np.asarray(img.convert("RGB"), dtype=np.uint8)
    return torch.from_numpy(array.copy()).permute(2, 0, 1).float().div_(255.0)


class ImageFolder:
    """Samples `(image, class index)` from per-class folders; `get_batch` stacks a batch."""

    def __init__(
        self, root: str | Path, transform: Transform | None = None, *, cache: bool = False
    ) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"dataset folder {self.root} does not exist")
        self.classes = sorted(p.name for p in self.root.iterdir() if p.is_dir())
        if not self.classes:
            raise ValueError(f"{self.root} has no class sub-folders")
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        self.samples = [
            (path, self.class_to_idx[name])
            for name in self.classes
            for path in sorted((self.root / name).iterdir())
            if path.suffix.lower() in IMAGE_EXTENSIONS
        ]
        if not self.samples:
            raise ValueError(f"{self.root} has class folders but no images {IMAGE_EXTENSIONS}")
        self.targets = torch.tensor([label for _, label in self.samples])
        self.transform = transform
        self._cache: dict[int, torch.Tensor] | None = {} if cache else None

    def __len__(self) -> int:
        return len(self.samples)

    def subset(self, indices: list[int]) -> ImageFolder:
        """A view holding only the samples at `indices` (same classes, transform and cache)."""
        view = copy.copy(self)
        view.samples = [self.samples[i] for i in indices]
        view.targets = self.targets[list(indices)]
        view._cache = {} if self._cache is not None else None
        return view

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        """One sample; its augmentation is seeded by its index, so it is repeatable."""
        image = self._transformed(index, torch.Generator().manual_seed(index))
        return image, self.samples[index][1]

    def get_batch(self, indices: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """A stacked batch; augmentation draws from a generator seeded by torch's global RNG."""
        gen = torch.Generator().manual_seed(int(torch.randint(0, 2**62, (1,))))
        images = [self._transformed(int(i), gen) for i in indices]
        return torch.stack(images), self.targets[indices]

    def _transformed(self, index: int, gen: torch.Generator) -> torch.Tensor:
        image = self._load(index)
        return self.transform(image, gen) if self.transform is not None else image

    def _load(self, index: int) -> torch.Tensor:
        if self._cache is None:
            return load_image(self.samples[index][0])
        if index not in self._cache:
            self._cache[index] = load_image(self.samples[index][0])
        return self._cache[index]
