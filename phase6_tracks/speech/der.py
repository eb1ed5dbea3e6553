"""Diarization error rate from scratch: missed speech, false alarm and speaker confusion.

Semantics are those of NIST md-eval as implemented by `pyannote.metrics`:
- the scored region is the UEM (default: from the earliest to the latest segment of either
  side) minus a collar of `collar` seconds *centred* on every reference boundary
  (collar / 2 each side) and, with `skip_overlap`, minus every region where two reference
  turns overlap;
- hypothesis speakers are mapped one-to-one onto reference speakers so that the total
  co-occurring duration is largest (the Hungarian algorithm, `hungarian` below);
- on each elementary interval with n_ref reference and n_hyp hypothesis speakers active and
  n_correct mapped pairs active, missed = max(0, n_ref - n_hyp), false alarm =
  max(0, n_hyp - n_ref), confusion = min(n_ref, n_hyp) - n_correct, each times the duration;
- DER = (missed + false alarm + confusion) / total reference speech (sum of n_ref * duration).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from phase0_env.common.parity import ParityResult, compare, reference_version

from .speaker_checks import check_pipeline_der, check_pipeline_der_3, check_vad_f1

Turn = tuple[float, float, str]  # (start s, end s, speaker)


def hungarian(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a minimum-cost assignment (as scipy's linear_sum_assignment).

    Shortest augmenting paths with dual potentials, O(n^2 m) for an n x m matrix, n <= m.
    Example: hungarian([[4, 1], [2, 3]]) -> ([0, 1], [1, 0]) (cost 1 + 2 = 3).
    """
    c = np.asarray(cost, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError(f"cost must be 2-D, got shape {c.shape}")
    transposed = c.shape[0] > c.shape[1]
    if transposed:  # the algorithm assigns every row, so rows must be the smaller side
        c = c.T
    n, m = c.shape
    # 1-based arrays with a virtual column 0 that holds the row being inserted.
    u, v = np.zeros(n + 1), np.zeros(m + 1)
    match = np.zeros(m + 1, dtype=np.int64)  # match[j] = row assigned to column j (0: none)
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        dist = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:  # grow a tree of tight edges until it reaches a free column
            used[j0] = True
            i0 = match[j0]
            free = ~used[1:]
            reduced = c[i0 - 1] - u[i0] - v[1:]
            better = free & (reduced < dist[1:])
            dist[1:][better] = reduced[better]
            way[1:][better] = j0
            candidates = np.where(free, dist[1:], np.inf)
            j1 = int(np.argmin(candidates)) + 1
            delta = candidates[j1 - 1]
            u[match[used]] += delta
            v[used] -= delta
            dist[1:][free] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    pairs = sorted(
        (j - 1, int(match[j]) - 1) if transposed else (int(match[j]) - 1, j - 1)
        for j in range(1, m + 1)
        if match[j]
    )
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    return rows, np.array([p[1] for p in pairs], dtype=np.int64)


def _support(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of intervals as sorted disjoint intervals (empty ones dropped)."""
    out: list[tuple[float, float]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _subtract(
    keep: list[tuple[float, float]], remove: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Sorted disjoint intervals `keep` minus the union of `remove`."""
    out: list[tuple[float, float]] = []
    cut = _support(remove)
    for s, e in keep:
        start = s
        for rs, re in cut:
            if re <= start or rs >= e:
                continue
            if rs > start:
                out.append((start, rs))
            start = max(start, re)
        if start < e:
            out.append((start, e))
    return out


def scored_regions(
    reference: Sequence[Turn],
    hypothesis: Sequence[Turn],
    *,
    collar: float = 0.0,
    skip_overlap: bool = False,
    uem: Sequence[tuple[float, float]] | None = None,
) -> list[tuple[float, float]]:
    """The evaluated time: UEM minus reference-boundary collars and (optionally) overlaps."""
    if uem is None:
        both = [*reference, *hypothesis]
        uem = [(min(t[0] for t in both), max(t[1] for t in both))] if both else []
    removed = [(t - collar / 2, t + collar / 2) for s, e, _ in reference for t in (s, e)]
    if collar <= 0:
        removed = []
    if skip_overlap:
        ref = list(reference)
        for a in range(len(ref)):
            for b in range(a + 1, len(ref)):
                removed.append((max(ref[a][0], ref[b][0]), min(ref[a][1], ref[b][1])))
    return _subtract(_support(list(uem)), removed)


@dataclass(frozen=True)
class DERComponents:
    """Durations in seconds; `der` is their error rate."""

    total: float
    missed: float
    false_alarm: float
    confusion: float
    correct: float
    mapping: dict[str, str]  # hypothesis speaker -> reference speaker

    @property
    def der(self) -> float:
        error = self.missed + self.false_alarm + self.confusion
        if self.total == 0.0:
            return 0.0 if error == 0.0 else 1.0  # pyannote's convention for empty references
        return error / self.total


def _activity(
    turns: Sequence[Turn], labels: list[str], edges: np.ndarray, regions: list[tuple[float, float]]
) -> np.ndarray:
    """(n_labels, n_intervals) count of each label's turns active on each elementary interval."""
    mids = (edges[:-1] + edges[1:]) / 2
    inside = np.zeros(len(mids), dtype=bool)
    for s, e in regions:
        inside |= (mids > s) & (mids < e)
    act = np.zeros((len(labels), len(mids)))
    index = {label: k for k, label in enumerate(labels)}
    for s, e, spk in turns:
        act[index[spk]] += (mids > s) & (mids < e) & inside
    return act


def diarization_error(
    reference: Sequence[Turn],
    hypothesis: Sequence[Turn],
    *,
    collar: float = 0.0,
    skip_overlap: bool = False,
    uem: Sequence[tuple[float, float]] | None = None,
    assign: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = hungarian,
) -> DERComponents:
    """DER components of `hypothesis` against `reference` (md-eval / pyannote semantics)."""
    regions = scored_regions(
        reference, hypothesis, collar=collar, skip_overlap=skip_overlap, uem=uem
    )
    points = {t for s, e in regions for t in (s, e)}
    for s, e, _ in [*reference, *hypothesis]:
        points.update(t for t in (s, e) if any(rs < t < re for rs, re in regions))
    edges = np.array(sorted(points))
    if len(edges) < 2:
        return DERComponents(0.0, 0.0, 0.0, 0.0, 0.0, {})
    ref_labels = sorted({t[2] for t in reference})
    hyp_labels = sorted({t[2] for t in hypothesis})
    R = _activity(reference, ref_labels, edges, regions)  # (n_ref, K)
    H = _activity(hypothesis, hyp_labels, edges, regions)  # (n_hyp, K)
    dur = np.diff(edges)  # (K,)
    cooc = (R * dur) @ H.T  # (n_ref, n_hyp) seconds spoken by both
    mapping: dict[str, str] = {}
    correct_k = np.zeros(len(dur))
    if cooc.size:
        for i, j in zip(*assign(-cooc), strict=True):
            if cooc[i, j] > 0:  # a pair that never co-occurs is no mapping
                mapping[hyp_labels[j]] = ref_labels[i]
                correct_k += np.minimum(R[i], H[j])
    n_ref, n_hyp = R.sum(axis=0), H.sum(axis=0)
    return DERComponents(
        total=float(dur @ n_ref),
        missed=float(dur @ np.maximum(0.0, n_ref - n_hyp)),
        false_alarm=float(dur @ np.maximum(0.0, n_hyp - n_ref)),
        confusion=float(dur @ (np.minimum(n_ref, n_hyp) - correct_k)),
        correct=float(dur @ correct_k),
        mapping=mapping,
    )


def merge_turns(turns: Sequence[Turn]) -> list[Turn]:
    """Touching or overlapping turns of one speaker joined into one (a clean RTTM)."""
    out: list[Turn] = []
    for spk in sorted({t[2] for t in turns}):
        out += [(s, e, spk) for s, e in _support([(t[0], t[1]) for t in turns if t[2] == spk])]
    return sorted(out)


# Hand-computed vectors (md-eval semantics): (reference, hypothesis, collar, skip_overlap,
# (total, missed, false alarm, confusion)). Worked out on paper in docs/diarization.md.
HAND_VECTORS: tuple[tuple[list[Turn], list[Turn], float, bool, tuple[float, ...]], ...] = (
    ([(0, 10, "A"), (10, 20, "B")], [(0, 12, "s1"), (12, 20, "s2")], 0.0, False, (20, 0, 0, 2)),
    ([(0, 10, "A"), (10, 20, "B")], [(0, 12, "s1"), (12, 20, "s2")], 1.0, False, (18, 0, 0, 1.5)),
    ([(0, 6, "A"), (4, 10, "B")], [(0, 5, "s1"), (5, 12, "s2")], 0.0, False, (12, 2, 2, 0)),
    ([(0, 6, "A"), (4, 10, "B")], [(0, 5, "s1"), (5, 12, "s2")], 0.0, True, (8, 0, 2, 0)),
    ([(0, 10, "A")], [(0, 6, "s1"), (6, 10, "s2")], 0.0, False, (10, 0, 0, 4)),
    ([(0, 5, "A")], [], 0.0, False, (5, 5, 0, 0)),
)


def random_turns(
    rng: np.random.Generator, labels: Sequence[str], length: float = 30.0
) -> list[Turn]:
    """Seeded turns per label (a label never overlaps itself; different labels may)."""
    out: list[Turn] = []
    for label in labels:
        t = float(rng.uniform(0, 3))
        while t < length:
            d = float(rng.uniform(0.3, 4.0))
            out.append((round(t, 3), round(min(t + d, length), 3), label))
            t += d + float(rng.uniform(0.2, 5.0))
    return out


def _components(d: DERComponents) -> list[float]:
    return [d.total, d.missed, d.false_alarm, d.confusion, d.der]


def check_der_pyannote() -> ParityResult:
    """DER components equal pyannote.metrics' on 40 seeded random pairs x 4 settings."""
    import warnings

    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(turns: list[Turn]) -> Annotation:
        ann = Annotation()
        for k, (s, e, label) in enumerate(turns):
            ann[Segment(s, e), k] = label
        return ann

    rng = np.random.default_rng(0)
    ours, ref = [], []
    keys = ("total", "missed detection", "false alarm", "confusion", "diarization error rate")
    for _ in range(40):
        r = random_turns(rng, "ABC"[: rng.integers(1, 4)])
        h = random_turns(rng, ["s1", "s2", "s3", "s4"][: rng.integers(1, 5)])
        for collar, skip in ((0.0, False), (0.5, False), (0.25, True), (0.0, True)):
            ours += _components(diarization_error(r, h, collar=collar, skip_overlap=skip))
            with warnings.catch_warnings():  # "uem was approximated": the same default as ours
                warnings.simplefilter("ignore")
                detail = DiarizationErrorRate(collar=collar, skip_overlap=skip)(
                    annotation(r), annotation(h), detailed=True
                )
            ref += [detail[k] for k in keys]
    # Same intervals summed in another order: float64 rounding only.
    return compare(
        "DER (total, miss, FA, confusion, DER) vs pyannote.metrics, collar/skip_overlap grid",
        np.array(ours),
        np.array(ref),
        reference=reference_version("pyannote.metrics"),
        rtol=1e-9,
        atol=1e-9,
    )


def check_hungarian_scipy() -> ParityResult:
    """Our assignment's cost equals scipy's on 300 seeded matrices (square, wide, tall, ties)."""
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(1)
    ours, ref = [], []
    for trial in range(300):
        cost = rng.random(tuple(rng.integers(1, 9, size=2)))
        if trial % 3 == 0:
            cost = np.round(cost * 3)  # many ties: assignments may differ, cost may not
        ours.append(cost[hungarian(cost)].sum())
        ref.append(cost[linear_sum_assignment(cost)].sum())
    return compare(
        "optimal speaker mapping: Hungarian cost vs scipy linear_sum_assignment",
        np.array(ours),
        np.array(ref),
        reference=reference_version("scipy"),
        rtol=1e-12,
        atol=1e-12,
    )


def check_hand_vectors() -> ParityResult:
    """DER components equal the hand-computed md-eval vectors."""
    ours = [
        _components(diarization_error(r, h, collar=c, skip_overlap=s))[:4]
        for r, h, c, s, _ in HAND_VECTORS
    ]
    expected = [list(v) for *_, v in HAND_VECTORS]
    return compare(
        "DER components vs hand-computed md-eval vectors (collar, overlap, empty hypothesis)",
        np.array(ours),
        np.array(expected, dtype=np.float64),
        reference="NIST md-eval definition (hand-computed)",
        rtol=1e-12,
        atol=1e-12,
    )


DIARIZATION_CHECKS: list[Callable[[], ParityResult]] = [
    check_hand_vectors,
    check_der_pyannote,
    check_hungarian_scipy,
    check_vad_f1,
    check_pipeline_der,
    check_pipeline_der_3,
]
