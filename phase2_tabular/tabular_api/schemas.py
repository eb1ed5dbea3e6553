"""Request and response models generated from the data contract (`TableSpec`).

Numeric features become bounded floats (NaN and infinity rejected), categorical ones
`Literal`s of the allowed categories; nullable features may be null or omitted. Unknown
fields are rejected, so a typo in a field name is a 422 that names it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from phase2_tabular.common.tables import TableSpec


def record_model(spec: TableSpec) -> type[BaseModel]:
    """The pydantic model of one input record of `spec`'s table."""
    fields: dict[str, Any] = {}
    for col, (lo, hi) in spec.numeric.items():
        bounds: dict[str, Any] = {"ge": lo, "le": hi, "allow_inf_nan": False}
        text = f"{col}, in [{lo}, {hi}]"
        if col in spec.nullable:
            fields[col] = (float | None, Field(None, description=text + " or null", **bounds))
        else:
            fields[col] = (float, Field(description=text, **bounds))
    for col, allowed in spec.categorical.items():
        kind = Literal[tuple(allowed)]  # type: ignore[valid-type]
        if col in spec.nullable:
            fields[col] = (kind | None, Field(None, description=f"one of {list(allowed)}"))
        else:
            fields[col] = (kind, Field(description=f"one of {list(allowed)}"))
    name = f"{spec.name.capitalize()}Record"
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def batch_model(record: type[BaseModel], max_batch: int) -> type[BaseModel]:
    """`{"records": [record, ...]}` with 1..max_batch records."""
    return create_model(
        f"{record.__name__}Batch",
        __config__=ConfigDict(extra="forbid"),
        records=(list[record], Field(min_length=1, max_length=max_batch)),  # type: ignore[valid-type]
    )


class Prediction(BaseModel):
    """One prediction: the class, every class's probability, and the model that made it."""

    label: str
    probabilities: dict[str, float]
    model_version: str


class BatchPrediction(BaseModel):
    """Predictions in the order of the submitted records."""

    predictions: list[Prediction]
    model_version: str


def example_record(spec: TableSpec) -> dict[str, Any]:
    """A valid record for docs and demos (midpoints and first categories)."""
    rec: dict[str, Any] = {c: round((lo + hi) / 2, 1) for c, (lo, hi) in spec.numeric.items()}
    rec.update({c: allowed[0] for c, allowed in spec.categorical.items()})
    return rec
