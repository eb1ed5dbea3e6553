"""Parity checks: compare ours with a reference library and say exactly how far apart they are.

`compare` returns a `ParityResult` (used by `roadmap parity` and the scoreboard);
`assert_parity` raises with a message that names the reference, its version, the worst
element and the tolerance, so a reader can judge a miss without rerunning.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ParityResult:
    """The outcome of one parity check."""

    name: str
    reference: str
    max_error: float
    tolerance: float
    passed: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reference_version(package: str) -> str:
    """`"package X.Y.Z"` for an installed distribution, or just the name if unknown."""
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return package


def _to_numpy(x: Any) -> np.ndarray:
    if hasattr(x, "detach"):  # torch tensors, without importing torch here
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        x = x.numpy()
    return np.asarray(x)


def compare(
    name: str,
    ours: Any,
    ref: Any,
    *,
    reference: str,
    rtol: float = 1e-7,
    atol: float = 0.0,
    exact: bool = False,
) -> ParityResult:
    """Compare two arrays (or scalars, or sequences) elementwise.

    Passes when |ours - ref| <= atol + rtol * |ref| everywhere (or equal everywhere when
    `exact`). `max_error` is the largest absolute difference; `tolerance` is the allowed
    difference at the worst element.
    """
    a, b = _to_numpy(ours), _to_numpy(ref)
    if a.shape != b.shape:
        return ParityResult(
            name,
            reference,
            float("inf"),
            rtol,
            False,
            f"shape mismatch: ours {a.shape} vs reference {b.shape}",
        )
    if a.size == 0:
        return ParityResult(name, reference, 0.0, 0.0 if exact else rtol, True, "empty")
    if exact or not (np.issubdtype(a.dtype, np.number) and np.issubdtype(b.dtype, np.number)):
        unequal = a != b
        n_bad = int(np.count_nonzero(unequal))
        detail = ""
        if n_bad:
            idx = tuple(int(i) for i in np.argwhere(unequal)[0])
            detail = (
                f"{n_bad} of {a.size} differ; first at {idx}: ours {a[idx]!r} vs ref {b[idx]!r}"
            )
        return ParityResult(name, reference, float(n_bad), 0.0, n_bad == 0, detail)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    nan_mismatch = np.isnan(a64) != np.isnan(b64)
    both_nan = np.isnan(a64) & np.isnan(b64)  # NaN where the reference has NaN is agreement
    with np.errstate(invalid="ignore"):  # inf - inf is NaN; equal infinities are handled below
        diff = np.where(both_nan, 0.0, np.abs(a64 - b64))
    allowed = atol + rtol * np.abs(np.where(both_nan, 0.0, b64))
    # Equal infinities agree; inf - inf would otherwise be NaN.
    diff = np.where(np.isinf(a64) & (a64 == b64), 0.0, diff)
    allowed = np.where(np.isinf(allowed), 0.0, allowed)
    excess = np.where(nan_mismatch, np.inf, diff - allowed)
    worst = np.unravel_index(int(np.nanargmax(excess)), excess.shape) if excess.ndim else ()
    max_error = float(np.nanmax(np.where(nan_mismatch, np.inf, diff)))
    passed = bool(np.all(excess <= 0))
    detail = (
        f"worst at {tuple(int(i) for i in worst)}: ours {a64[worst]!r} vs ref {b64[worst]!r} "
        f"(allowed {allowed[worst]:.3g} = atol {atol:g} + rtol {rtol:g}*|ref|)"
    )
    return ParityResult(name, reference, max_error, float(allowed[worst]), passed, detail)


def assert_parity(
    ours: Any,
    ref: Any,
    *,
    reference: str,
    rtol: float = 1e-7,
    atol: float = 0.0,
    exact: bool = False,
    name: str = "parity",
) -> ParityResult:
    """`compare`, raising AssertionError with the reference, worst element and tolerance."""
    result = compare(name, ours, ref, reference=reference, rtol=rtol, atol=atol, exact=exact)
    log_result(result)
    if not result.passed:
        raise AssertionError(
            f"{name}: ours disagrees with {reference}: max error {result.max_error:.3g} "
            f"> tolerance; {result.detail}"
        )
    return result


# When set, every `assert_parity` appends its result here as one JSON line: `roadmap check`
# reads it to show each graded check with its worst error against its tolerance.
GRADE_LOG_ENV = "ROADMAP_GRADE_LOG"


def log_result(result: ParityResult) -> None:
    """Append `result` to the file named by $ROADMAP_GRADE_LOG (nothing when unset)."""
    path = os.environ.get(GRADE_LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(result.to_dict()) + "\n")


def behaviour(name: str, passed: bool, detail: str = "") -> ParityResult:
    """A behaviour check for milestones with no reference library (error counts as 0 or 1)."""
    return ParityResult(name, "behaviour", 0.0 if passed else 1.0, 0.0, bool(passed), detail)
