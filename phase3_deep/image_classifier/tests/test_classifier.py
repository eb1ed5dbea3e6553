"""Training on the built folders: reproducible, frozen backbones stay frozen, held-out test."""

import json

import torch

from phase3_deep.image_classifier.cnn import SmallCNN
from phase3_deep.image_classifier.folder_dataset import ImageFolder
from phase3_deep.image_classifier.train import ClassifierConfig, train_on_folder
from phase3_deep.image_classifier.transfer import format_table, transfer_table

SMALL = ClassifierConfig(epochs=2, width=8)


def test_built_datasets_have_disjoint_splits_and_the_expected_classes(data_root):
    digits, photos = data_root
    splits = {s: ImageFolder(digits / s) for s in ("train", "val", "test")}
    assert splits["train"].classes == [str(i) for i in range(10)]
    assert sum(len(d) for d in splits.values()) == 1797
    names = [{p.name for p, _ in d.samples} for d in splits.values()]
    assert not (names[0] & names[1] or names[0] & names[2] or names[1] & names[2])
    assert ImageFolder(photos / "test").classes == ["china", "flower"]
    assert json.loads((photos / "manifest.json").read_text())["per_class"] == 200
    image, _ = ImageFolder(digits / "train")[0]
    assert image.shape == (3, 32, 32)


def test_one_seed_gives_the_same_test_score_twice(data_root):
    digits, _ = data_root
    a = train_on_folder(digits, SMALL, n_per_class=20)
    b = train_on_folder(digits, SMALL, n_per_class=20)
    assert a.history == b.history
    assert (a.confusion == b.confusion).all()
    assert a.macro_f1 == b.macro_f1


def test_frozen_backbone_does_not_change_while_the_head_trains(data_root):
    _, photos = data_root
    torch.manual_seed(0)
    model = SmallCNN(10, width=8).replace_head(2).freeze_backbone()
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    head_before = model.head.weight.clone()
    train_on_folder(photos, SMALL, model=model, n_per_class=8)
    after = model.backbone.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # incl. BN running stats
    assert not torch.equal(head_before, model.head.weight)


def test_transfer_table_has_one_row_per_size_with_scores(data_root):
    _, photos = data_root
    torch.manual_seed(0)
    rows = transfer_table(SmallCNN(10, width=8), photos, SMALL, n_per_class=(4, 8))
    assert [r["n_per_class"] for r in rows] == [4, 8]
    assert all(0.0 <= r["scratch_macro_f1"] <= 1.0 for r in rows)
    assert rows[0]["trainable_params_transfer"] < rows[0]["trainable_params_scratch"]
    assert "transfer F1" in format_table(rows)
