"""Column-by-column drift between a reference table and a current window.

The test for each column is chosen as Evidently does by default: numeric columns with more
than five distinct values get KS up to 1,000 reference rows and the normed Wasserstein
distance above; other columns get the z-test when binary, chi-square otherwise, up to 1,000
reference rows, and the Jensen-Shannon distance above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from phase5_mlops.monitoring.stattests import (
    DriftResult,
    chi_square_test,
    jensen_shannon,
    ks_test,
    wasserstein_normed,
    z_test,
)

SMALL_SAMPLE = 1000  # reference rows up to which p-value tests are used
MAX_NUMERIC_CATEGORIES = 5  # a numeric column with this few values is treated as categorical


@dataclass
class ColumnDrift:
    """The drift verdict of one column."""

    column: str
    kind: str  # "numeric" or "categorical"
    result: DriftResult

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "kind": self.kind, **self.result.to_dict()}


@dataclass
class DriftReport:
    """Every column's verdict, and the share of drifted columns."""

    columns: list[ColumnDrift] = field(default_factory=list)
    reference_rows: int = 0
    current_rows: int = 0

    @property
    def drifted_share(self) -> float:
        return sum(c.result.drifted for c in self.columns) / max(1, len(self.columns))

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_rows": self.reference_rows,
            "current_rows": self.current_rows,
            "drifted_share": self.drifted_share,
            "columns": [c.to_dict() for c in self.columns],
        }


def column_kind(values: pd.Series) -> str:
    """ "numeric" for numbers with more than five distinct values, else "categorical"."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and values.nunique(dropna=True) > MAX_NUMERIC_CATEGORIES:
        return "numeric"
    return "categorical"


def choose_test(reference: pd.Series, kind: str):  # type: ignore[no-untyped-def]
    """The default test for a column of this kind and reference size."""
    small = len(reference) <= SMALL_SAMPLE
    if kind == "numeric":
        return ks_test if small else wasserstein_normed
    if not small:
        return lambda r, c: jensen_shannon(r, c, categorical=True)
    return z_test if reference.nunique(dropna=True) <= 2 else chi_square_test


def detect_drift(
    reference: pd.DataFrame, current: pd.DataFrame, columns: list[str] | None = None
) -> DriftReport:
    """Run the chosen test on every shared column (or the ones named)."""
    if reference.empty or current.empty:
        raise ValueError("both the reference and the current window need at least one row")
    names = columns or [c for c in reference.columns if c in current.columns]
    missing = [c for c in names if c not in reference.columns or c not in current.columns]
    if missing:
        raise KeyError(f"columns missing from reference or current data: {missing}")
    report = DriftReport(reference_rows=len(reference), current_rows=len(current))
    for name in names:
        kind = column_kind(reference[name])
        test = choose_test(reference[name], kind)
        ref = reference[name].to_numpy()
        cur = current[name].to_numpy()
        if kind == "numeric":
            ref, cur = ref.astype(float), np.asarray(cur, dtype=float)
        report.columns.append(ColumnDrift(name, kind, test(ref, cur)))
    return report
