"""The generated pairs, the caption tokenizer, the encoders and a short contrastive training."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from phase6_tracks.generative_vision.clip_model import CaptionTokenizer, SmallCLIP
from phase6_tracks.generative_vision.clip_train import (
    UNSEEN,
    ClipConfig,
    caption_corpus,
    make_clip_data,
    train_clip,
    zero_shot_report,
)
from phase6_tracks.generative_vision.contrastive import zero_shot_predict
from phase6_tracks.generative_vision.digits import load_digits_split
from phase6_tracks.generative_vision.scenes import (
    SHAPE_CLASSES,
    class_combos,
    make_digits,
    make_shapes,
    shape_prompts,
)


def test_shapes_are_drawn_where_and_in_the_colour_the_caption_says():
    pairs = make_shapes(120, seed=0)
    assert pairs.images.shape == (120, 3, 16, 16)
    assert pairs.images.min() >= 0 and pairs.images.max() <= 1
    for image, label, caption in zip(pairs.images, pairs.labels, pairs.captions, strict=True):
        shape, colour, side = class_combos()[label]
        assert shape in caption and colour in caption and side in caption
        ink = image.sum(axis=0) > 0.5  # the shape's pixels (noise alone stays below)
        cols = np.flatnonzero(ink.any(axis=0))
        centre = cols.mean()
        assert (centre < 8) == (side == "left"), (caption, centre)
        brightest = int(image[:, ink].mean(axis=1).argmax())
        assert ("red", "green", "blue")[brightest] == colour


def test_same_seed_same_pairs_and_classes_can_be_restricted():
    a, b = make_shapes(20, seed=3), make_shapes(20, seed=3)
    assert np.array_equal(a.images, b.images) and a.captions == b.captions
    assert set(make_shapes(200, seed=1, classes=list(UNSEEN)).labels) == set(UNSEEN)


def test_digit_pairs_upscale_and_name_the_digit():
    data = load_digits_split()
    pairs = make_digits(data.x_test[:3].numpy(), data.y_test[:3].numpy())
    assert pairs.images.shape == (3, 3, 16, 16)
    grey = (data.x_test[0, 0].numpy() + 1) / 2
    assert np.allclose(pairs.images[0, 1, ::2, ::2], grey)
    assert pairs.captions[0].startswith("a photo of the digit ")


def test_tokenizer_encodes_every_caption_with_an_end_token():
    tok = CaptionTokenizer(caption_corpus())
    ids, eot_at = tok(shape_prompts())
    assert ids.shape == (len(SHAPE_CLASSES), tok.max_len)
    assert (ids[torch.arange(len(ids)), eot_at] == tok.eot).all()
    first = ids[0, : int(eot_at[0])].tolist()
    assert tok.bpe.decode(first) == shape_prompts()[0]
    with pytest.raises(ValueError, match="longer"):
        tok(["a " * 40])


def test_zero_shot_predict_picks_the_most_similar_prompt():
    images = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    prompts = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    assert zero_shot_predict(images, prompts).tolist() == [1, 0, 0]


def test_short_training_lowers_the_loss_and_beats_chance():
    data = make_clip_data(load_digits_split(), ClipConfig(n_shapes=400))
    model, losses, _ = train_clip(data, ClipConfig(n_shapes=400, epochs=3, batch_size=64))
    assert isinstance(model, SmallCLIP)
    assert losses[-1] < 0.8 * losses[0], losses
    acc = zero_shot_report(model, data)
    assert acc["digits"] > 0.5 and acc["shapes"] > 2 / 18, acc  # chance: 0.1 and 1/18


def test_attribute_shares_of_unseen_predictions_by_hand():
    from phase6_tracks.generative_vision.clip_train import _attributes_right

    truth = SHAPE_CLASSES.index("blue triangle on the right")
    same_but_shape = SHAPE_CLASSES.index("blue circle on the right")
    all_wrong = SHAPE_CLASSES.index("red square on the left")
    shares = _attributes_right(
        np.array([truth, same_but_shape, all_wrong, truth]), np.full(4, truth)
    )
    assert shares == {
        "unseen: shape right": 0.5,
        "unseen: colour right": 0.75,
        "unseen: side right": 0.75,
    }
