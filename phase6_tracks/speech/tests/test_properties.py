"""Properties over generated inputs: WER/CER equal jiwer on any text, CTC equals torch on
any lengths and labels."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech.ctc import ctc_loss
from phase6_tracks.speech.error_rates import cer, wer

jiwer = pytest.importorskip("jiwer")
WORDS = st.lists(st.sampled_from(["a", "b", "cat", "dog", "the", "x"]), min_size=0, max_size=8)


@given(ref=WORDS.filter(bool), hyp=WORDS, spaces=st.sampled_from([" ", "  ", " \t "]))
@settings(max_examples=60)
def test_wer_and_cer_equal_jiwer_on_any_text(ref, hyp, spaces):
    r, h = " ".join(ref), spaces.join(hyp)
    assert_parity(
        wer(r, h), jiwer.wer(r, h), reference=reference_version("jiwer"), rtol=1e-12, name="wer"
    )
    assert_parity(
        cer(r, h), jiwer.cer(r, h), reference=reference_version("jiwer"), rtol=1e-12, name="cer"
    )


@given(
    data=st.data(),
    T=st.integers(1, 12),
    C=st.integers(2, 5),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=40)
def test_ctc_equals_torch_on_any_lengths(data, T, C, seed):
    L = data.draw(st.integers(0, T))
    target = data.draw(st.lists(st.integers(1, C - 1), min_size=L, max_size=L))
    gen = torch.Generator().manual_seed(seed)
    lp = torch.randn(T, 1, C, generator=gen, dtype=torch.float64).log_softmax(-1)
    t = torch.tensor([target], dtype=torch.long).reshape(1, L)
    args = (lp, t, [T], [L])
    ours = ctc_loss(*args, reduction="none", zero_infinity=True)
    ref = torch.nn.functional.ctc_loss(*args, reduction="none", zero_infinity=True)
    assert_parity(
        ours, ref, reference=reference_version("torch"), rtol=1e-10, atol=1e-12, name="ctc"
    )
