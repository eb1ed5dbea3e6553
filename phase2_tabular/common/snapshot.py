"""Processed snapshots: Parquet files that carry their schema version and content hash.

The hash is over a canonical CSV rendering of the frame (column order, values, dtypes'
text form), so the same rows give the same hash whatever the file's compression.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from phase2_tabular.common.tables import TableSpec

META_KEY = b"roadmap.snapshot"


def content_hash(df: pd.DataFrame) -> str:
    """sha256 of the frame's canonical CSV text, e.g. `"sha256:3f1c..."`."""
    text = df.to_csv(index=False, lineterminator="\n", float_format="%.17g")
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def write_snapshot(df: pd.DataFrame, spec: TableSpec, path: Path) -> dict[str, Any]:
    """Write `df` as Parquet with its table name, schema version and content hash."""
    meta = {
        "table": spec.name,
        "schema_version": spec.schema_version,
        "content_hash": content_hash(df),
        "n_rows": len(df),
        "columns": list(df.columns),
    }
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return meta


def read_snapshot(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a snapshot and check its content hash; a mismatch raises ValueError."""
    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {})[META_KEY])
    df = table.to_pandas()
    for col in df.columns:  # Parquet strings come back as pandas' string dtype
        if df[col].dtype != "float64":
            df[col] = df[col].astype("object").where(df[col].notna(), float("nan"))
    actual = content_hash(df)
    if actual != meta["content_hash"]:
        raise ValueError(f"snapshot {path} is corrupt: hash {actual} != {meta['content_hash']}")
    return df, meta
