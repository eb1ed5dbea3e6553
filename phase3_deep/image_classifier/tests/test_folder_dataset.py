"""The ImageFolder-style loader: classes, files, pixels, batches, bad folders."""

import numpy as np
import pytest
import torch
from PIL import Image

from phase3_deep.image_classifier.augment import Compose, RandomHorizontalFlip, Resize
from phase3_deep.image_classifier.folder_dataset import ImageFolder, load_image


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    for name, n in (("cat", 3), ("ant", 2)):
        (tmp_path / name).mkdir()
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (6, 4, 3), dtype=np.uint8)).save(
                tmp_path / name / f"{i}.png"
            )
    Image.fromarray(rng.integers(0, 256, (6, 4), dtype=np.uint8), mode="L").save(
        tmp_path / "cat" / "grey.jpg"
    )
    (tmp_path / "cat" / "readme.md").write_text("skip me")
    return tmp_path


def test_classes_are_sorted_folder_names_and_non_images_are_skipped(folder):
    ds = ImageFolder(folder)
    assert ds.classes == ["ant", "cat"] and ds.class_to_idx == {"ant": 0, "cat": 1}
    assert len(ds) == 6
    assert ds.targets.tolist() == [0, 0, 1, 1, 1, 1]
    assert all(p.suffix in {".png", ".jpg"} for p, _ in ds.samples)


def test_items_are_float_rgb_tensors_in_unit_range_equal_to_pil_pixels(folder):
    ds = ImageFolder(folder)
    image, label = ds[0]
    assert image.shape == (3, 6, 4) and image.dtype == torch.float32 and label == 0
    expected = np.asarray(Image.open(ds.samples[0][0]).convert("RGB")) / 255.0
    assert torch.allclose(image, torch.from_numpy(expected).permute(2, 0, 1).float())
    grey = load_image(folder / "cat" / "grey.jpg")
    assert grey.shape == (3, 6, 4) and torch.equal(grey[0], grey[1])


def test_get_batch_stacks_transformed_images_reproducibly_under_the_global_seed(folder):
    ds = ImageFolder(folder, Compose([Resize((8, 8)), RandomHorizontalFlip()]), cache=True)
    torch.manual_seed(0)
    x1, y1 = ds.get_batch(torch.tensor([0, 2, 5]))
    torch.manual_seed(0)
    x2, _ = ds.get_batch(torch.tensor([0, 2, 5]))
    assert x1.shape == (3, 3, 8, 8) and y1.tolist() == [0, 1, 1]
    assert torch.equal(x1, x2)


def test_subset_keeps_classes_and_selects_samples(folder):
    ds = ImageFolder(folder).subset([1, 4])
    assert ds.classes == ["ant", "cat"] and len(ds) == 2 and ds.targets.tolist() == [0, 1]


def test_missing_folder_no_classes_and_no_images_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        ImageFolder(tmp_path / "nope")
    with pytest.raises(ValueError, match="no class"):
        ImageFolder(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("")
    with pytest.raises(ValueError, match="no images"):
        ImageFolder(tmp_path)
