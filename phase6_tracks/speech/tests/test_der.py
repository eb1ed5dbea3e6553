"""DER from scratch: hand-computed md-eval vectors, pyannote.metrics parity, Hungarian vs scipy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from phase0_env.common.parity import ParityResult, assert_parity, reference_version
from phase6_tracks.speech.der import (
    DIARIZATION_CHECKS,
    HAND_VECTORS,
    check_der_pyannote,
    check_hand_vectors,
    check_hungarian_scipy,
    diarization_error,
    hungarian,
    merge_turns,
    random_turns,
)


@pytest.mark.parametrize("case", range(len(HAND_VECTORS)))
def test_components_equal_hand_computed_vectors(case):
    ref, hyp, collar, skip, expected = HAND_VECTORS[case]
    d = diarization_error(ref, hyp, collar=collar, skip_overlap=skip)
    assert_parity(
        [d.total, d.missed, d.false_alarm, d.confusion],
        list(expected),
        reference="NIST md-eval definition (hand-computed)",
        rtol=1e-12,
        atol=1e-12,
        name=f"hand vector {case}",
    )


def _annotation(turns):
    from pyannote.core import Annotation, Segment

    ann = Annotation()
    for k, (s, e, label) in enumerate(turns):
        ann[Segment(s, e), k] = label
    return ann


@pytest.mark.parametrize(
    ("collar", "skip"), [(0.0, False), (0.5, False), (0.25, True), (0.0, True)]
)
def test_der_equals_pyannote_metrics(collar, skip):
    from pyannote.metrics.diarization import DiarizationErrorRate

    rng = np.random.default_rng(42)
    ours, ref = [], []
    keys = ("total", "missed detection", "false alarm", "confusion", "diarization error rate")
    for _ in range(40):
        r = random_turns(rng, "ABC"[: rng.integers(1, 4)])
        h = random_turns(rng, ["s1", "s2", "s3", "s4"][: rng.integers(1, 5)])
        d = diarization_error(r, h, collar=collar, skip_overlap=skip)
        ours.append([d.total, d.missed, d.false_alarm, d.confusion, d.der])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "uem was approximated": the same default as ours
            detail = DiarizationErrorRate(collar=collar, skip_overlap=skip)(
                _annotation(r), _annotation(h), detailed=True
            )
        ref.append([detail[k] for k in keys])
    # Same elementary intervals summed in another order: float64 rounding only.
    assert_parity(
        ours,
        ref,
        reference=reference_version("pyannote.metrics"),
        rtol=1e-9,
        atol=1e-9,
        name=f"DER collar={collar} skip_overlap={skip}",
    )


def test_mapping_equals_pyannote_hungarian_mapper():
    from pyannote.metrics.matcher import HungarianMapper

    rng = np.random.default_rng(7)
    for _ in range(20):
        r, h = random_turns(rng, "ABC"), random_turns(rng, ["s1", "s2", "s3"])
        theirs = HungarianMapper()(_annotation(h), _annotation(r))  # hyp -> ref
        assert diarization_error(r, h).mapping == theirs


@pytest.mark.parametrize("shape", [(4, 4), (3, 7), (7, 3), (1, 5), (6, 1), (8, 8)])
def test_hungarian_equals_scipy_on_tie_free_costs(shape):
    rng = np.random.default_rng(shape[0] * 10 + shape[1])
    for _ in range(20):
        cost = rng.random(shape)
        rows, cols = hungarian(cost)
        ref_rows, ref_cols = linear_sum_assignment(cost)
        # Continuous random costs have one optimum, so the assignments themselves agree.
        assert_parity(rows, ref_rows, reference=reference_version("scipy"), exact=True, name="rows")
        assert_parity(cols, ref_cols, reference=reference_version("scipy"), exact=True, name="cols")


def test_hungarian_cost_equals_scipy_with_ties_and_empty():
    rng = np.random.default_rng(3)
    for _ in range(50):
        cost = np.round(rng.random(tuple(rng.integers(1, 7, size=2))) * 2)  # many ties
        assert_parity(
            cost[hungarian(cost)].sum(),
            cost[linear_sum_assignment(cost)].sum(),
            reference=reference_version("scipy"),
            rtol=0,
            atol=1e-12,
            name="tied assignment cost",
        )
    rows, cols = hungarian(np.zeros((0, 3)))
    assert rows.size == cols.size == 0


def test_perfect_and_relabelled_hypothesis_scores_zero():
    rng = np.random.default_rng(0)
    ref = random_turns(rng, "AB")
    hyp = [(s, e, {"A": "x", "B": "y"}[spk]) for s, e, spk in ref]
    d = diarization_error(ref, hyp)
    assert d.der == 0.0 and d.mapping == {"x": "A", "y": "B"}


def test_merge_turns_joins_touching_turns_of_one_speaker():
    assert merge_turns([(0, 1, "A"), (1, 2, "A"), (1.5, 3, "B")]) == [(0, 2, "A"), (1.5, 3, "B")]


def test_der_checks_pass_and_are_registered():
    for check in (check_hand_vectors, check_der_pyannote, check_hungarian_scipy):
        result = check()
        assert isinstance(result, ParityResult)
        assert result.passed, f"{result.name}: {result.detail}"
    assert {check_hand_vectors, check_der_pyannote, check_hungarian_scipy} <= set(
        DIARIZATION_CHECKS
    )


def test_der_check_fails_when_ours_is_wrong(monkeypatch):
    # A greedy mapping is not optimal: the parity check must notice.
    from phase6_tracks.speech import der

    def first_come(cost):
        n = min(cost.shape)
        return np.arange(n), np.arange(n)

    original = der.diarization_error
    monkeypatch.setattr(
        der, "diarization_error", lambda r, h, **kw: original(r, h, assign=first_come, **kw)
    )
    assert not der.check_der_pyannote().passed
