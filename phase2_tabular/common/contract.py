"""The data contract as a pandera schema, and a validation report naming every failure.

The schema is generated from a `TableSpec`: column types, inclusive ranges, allowed
categories and nullability. `validate` never raises on bad data: it returns a report whose
`failures` name the row, the column, the failed check and the offending value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa

from phase2_tabular.common.tables import TableSpec


def contract_schema(spec: TableSpec, *, with_target: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of a table: types, ranges, categories, nullability."""
    columns: dict[str, pa.Column] = {}
    for col, (lo, hi) in spec.numeric.items():
        columns[col] = pa.Column(
            float, pa.Check.in_range(lo, hi), nullable=col in spec.nullable, coerce=True
        )
    for col, allowed in spec.categorical.items():
        columns[col] = pa.Column(object, pa.Check.isin(allowed), nullable=col in spec.nullable)
    if with_target:
        columns[spec.target] = pa.Column(object, pa.Check.isin(spec.classes), nullable=False)
    return pa.DataFrameSchema(columns, strict="filter", name=f"{spec.name}_v{spec.schema_version}")


@dataclass
class ValidationReport:
    """The outcome of validating a frame against the contract."""

    schema: str
    n_rows: int
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failing_rows(self) -> list[int]:
        """Row labels with at least one failure (sorted; frame-level failures have none)."""
        return sorted({f["row"] for f in self.failures if f["row"] is not None})

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "n_rows": self.n_rows,
            "ok": self.ok,
            "failing_rows": self.failing_rows,
            "failures": self.failures,
        }

    def __str__(self) -> str:
        if self.ok:
            return f"{self.schema}: {self.n_rows} rows, all valid"
        lines = [f"{self.schema}: {len(self.failures)} failures in {self.n_rows} rows"]
        lines += [
            f"  row {f['row']}, column {f['column']}: {f['check']} (value {f['value']!r})"
            for f in self.failures
        ]
        return "\n".join(lines)


def validate(df: pd.DataFrame, spec: TableSpec, *, with_target: bool = True) -> ValidationReport:
    """Validate every row and column lazily; collect all failures instead of stopping."""
    schema = contract_schema(spec, with_target=with_target)
    report = ValidationReport(schema=str(schema.name), n_rows=len(df))
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for row in cases.itertuples(index=False):
            index, column, value = row.index, row.column, row.failure_case
            if row.check == "column_in_dataframe":  # pandera puts the missing name in the value
                column, value = value, None
            report.failures.append(
                {
                    "row": None if pd.isna(index) else int(index),
                    "column": None if pd.isna(column) else str(column),
                    "check": str(row.check),
                    "value": None if value is None or pd.isna(value) else _plain(value),
                }
            )
    return report


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar."""
    return value.item() if hasattr(value, "item") else value
