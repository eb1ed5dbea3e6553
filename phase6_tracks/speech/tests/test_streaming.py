"""Chunked recognition equals offline recognition at every chunk size (state carried)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity
from phase6_tracks.speech.model import features, lookahead_ms
from phase6_tracks.speech.streaming import StreamingRecognizer, independent_chunks, stream


def offline(model, audio):
    with torch.no_grad():
        out, _ = model(torch.from_numpy(features(audio))[None])
    return out[0].numpy()


@pytest.mark.parametrize("chunk", [1, 159, 160, 321, 1000, 4000, 32000])
def test_streamed_log_probs_equal_offline(tiny_model, chunk):
    audio = (0.2 * np.random.default_rng(chunk).standard_normal(16000 + 37)).astype(np.float32)
    rec = StreamingRecognizer(tiny_model)
    for start in range(0, len(audio), chunk):
        rec.accept(audio[start : start + chunk])
    rec.finish()
    # float32 GRU/conv over different window shapes: summation order only
    assert_parity(
        np.concatenate(rec.log_probs),
        offline(tiny_model, audio),
        reference="offline forward pass",
        rtol=1e-5,
        atol=1e-5,
        name=f"stream chunk {chunk}",
    )


def test_partials_grow_and_end_at_the_final_text(tiny_model):
    audio = (0.2 * np.random.default_rng(0).standard_normal(24000)).astype(np.float32)
    result = stream(tiny_model, audio, chunk_ms=100)
    assert len(result.partials) == 15 and result.audio_s == 1.5
    # emitted steps are final, so greedy text only grows: each partial extends the last
    for before, after in zip(result.partials, result.partials[1:], strict=False):
        assert after.startswith(before)
    assert result.text.startswith(result.partials[-1])


def test_short_and_empty_streams(tiny_model):
    rec = StreamingRecognizer(tiny_model)
    assert rec.accept(np.zeros(100, np.float32)) == ""
    assert isinstance(rec.finish(), str)
    with pytest.raises(RuntimeError, match="finished"):
        rec.accept(np.zeros(10, np.float32))
    assert independent_chunks(tiny_model, np.zeros(200, np.float32), 100) == ""


def test_lookahead_is_two_conv_steps_plus_the_window_tail():
    assert lookahead_ms() == pytest.approx(40 + 15)
