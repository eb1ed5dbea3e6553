"""Greedy and prefix beam search decoding, the character LM, and WER/CER against jiwer."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech.decoding import greedy_decode, prefix_beam_search
from phase6_tracks.speech.error_rates import align, cer, wer
from phase6_tracks.speech.lm import CharNGramLM


def random_log_probs(T: int, C: int, seed: int) -> np.ndarray:
    return np.log(np.random.default_rng(seed).dirichlet(np.full(C, 0.5), size=T))


def collapse(path) -> tuple[int, ...]:
    return tuple(s for i, s in enumerate(path) if s != 0 and (i == 0 or s != path[i - 1]))


@pytest.mark.parametrize("seed", range(3))
def test_unpruned_beam_search_is_the_exact_map_labeling(seed):
    """Summing all C^T paths by brute force gives each labeling's probability."""
    lp = random_log_probs(6, 3, seed)
    totals: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(3), repeat=6):
        p = sum(lp[t, s] for t, s in enumerate(path))
        key = collapse(path)
        totals[key] = np.logaddexp(totals.get(key, -math.inf), p)
    beams = prefix_beam_search(lp, beam_width=10_000, prune=-math.inf)
    ours = {labels: score for labels, score in beams}
    assert set(ours) == set(totals)
    keys = sorted(totals)
    assert_parity(
        [ours[k] for k in keys],
        [totals[k] for k in keys],
        reference="brute-force sum",
        rtol=1e-10,
        name="beam = exhaustive",
    )
    assert beams[0][0] == max(totals, key=totals.get)


def test_beam_scores_equal_torch_ctc_likelihood():
    lp = random_log_probs(9, 3, 7)
    beams = prefix_beam_search(lp, beam_width=10_000, prune=-math.inf)[:10]
    t = torch.from_numpy(lp)[:, None]
    ref = [
        -torch.nn.functional.ctc_loss(
            t, torch.tensor([list(k)]), [9], [len(k)], reduction="sum"
        ).item()
        for k, _ in beams
    ]
    # a beam wider than the 2^10 possible prefixes: nothing is pruned, scores are exact
    assert_parity(
        [s for _, s in beams],
        ref,
        reference=reference_version("torch") + " ctc_loss",
        rtol=1e-9,
        name="beam score = ctc likelihood",
    )


def test_greedy_and_width_one_beam_agree_on_peaky_outputs():
    lp = np.log(np.full((20, 5), 0.01))
    path = [0, 1, 1, 0, 2, 2, 2, 0, 0, 3, 0, 3, 4, 0, 0, 1, 0, 0, 2, 0]
    lp[np.arange(20), path] = np.log(0.96)
    assert greedy_decode(lp) == [1, 2, 3, 3, 4, 1, 2]
    assert list(prefix_beam_search(lp, beam_width=1)[0][0]) == greedy_decode(lp)


def test_lm_fixes_an_ambiguous_character():
    alphabet = "_ abcdefghijklmnopqrstuvwxyz"
    lm = CharNGramLM(3, alphabet=alphabet[1:]).fit(["the cat"] * 20)
    text = "the cat"
    lp = np.log(np.full((len(text), len(alphabet)), 1e-4))
    for t, ch in enumerate(text):
        lp[t, alphabet.index(ch)] = np.log(0.9)
    lp[4, alphabet.index("k")] = np.log(0.91)  # acoustically "the kat" wins by a hair
    decode = lambda labels: "".join(alphabet[i] for i in labels)  # noqa: E731
    assert decode(greedy_decode(lp)) == "the kat"
    best = prefix_beam_search(lp, beam_width=8, lm=lm, alphabet=alphabet, lm_weight=1.0)
    assert decode(best[0][0]) == "the cat"


def test_lm_is_a_distribution_for_any_history():
    lm = CharNGramLM(4).fit(["a big dog", "the cat sees a dog"])
    for history in ("", "a b", "zzz", "the ca"):
        total = sum(math.exp(lm.log_prob(c, history)) for c in lm.alphabet)
        assert total == pytest.approx(1.0, abs=1e-12)
    assert lm.log_prob("t", "the ca") > lm.log_prob("q", "the ca")


def test_wer_and_cer_equal_jiwer():
    jiwer = pytest.importorskip("jiwer")
    rng = random.Random(1)
    vocab = ["a", "the", "cat", "dog", "runs", "big"]
    refs = [" ".join(rng.choices(vocab, k=rng.randint(1, 8))) for _ in range(200)]
    hyps = ["  ".join(rng.choices(vocab, k=rng.randint(0, 8))) + " " for _ in range(200)]
    ref = reference_version("jiwer")
    assert_parity(wer(refs, hyps), jiwer.wer(refs, hyps), reference=ref, rtol=1e-12, name="wer")
    assert_parity(cer(refs, hyps), jiwer.cer(refs, hyps), reference=ref, rtol=1e-12, name="cer")
    per_pair = [
        (wer(r, h), jiwer.wer(r, h), cer(r, h), jiwer.cer(r, h))
        for r, h in zip(refs, hyps, strict=True)
    ]
    assert_parity(
        [p[0] for p in per_pair],
        [p[1] for p in per_pair],
        reference=ref,
        rtol=1e-12,
        name="wer per pair",
    )
    assert_parity(
        [p[2] for p in per_pair],
        [p[3] for p in per_pair],
        reference=ref,
        rtol=1e-12,
        name="cer per pair",
    )


def test_alignment_counts_and_edge_cases():
    assert align(["kitten"], ["sitting"]).errors == 1
    e = align(list("kitten"), list("sitting"))
    assert (e.substitutions, e.deletions, e.insertions, e.hits) == (2, 0, 1, 4)
    assert wer("a b c", "") == 1.0 and wer("a b", "a b") == 0.0
    with pytest.raises(ValueError, match="2 references but 1"):
        wer(["a", "b"], ["a"])
