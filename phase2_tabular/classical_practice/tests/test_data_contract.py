"""The pandera contract names every failing row and column; snapshots keep hash and version."""

import pandas as pd
import pytest

from phase2_tabular.common.contract import validate
from phase2_tabular.common.snapshot import content_hash, read_snapshot, write_snapshot
from phase2_tabular.common.tables import load_table


def test_real_tables_satisfy_their_contracts(penguins):
    df, spec = penguins
    assert validate(df, spec).ok
    assert df[spec.features].isna().any().any()  # the real table has missing values


def test_report_names_every_failing_row_and_column(penguins):
    df, spec = penguins
    bad = df.copy()
    bad.loc[3, "body_mass_g"] = -1.0
    bad.loc[10, "island"] = "Atlantis"
    bad.loc[10, "flipper_length_mm"] = 999.0
    bad.loc[20, "species"] = None
    report = validate(bad, spec)
    assert not report.ok
    assert report.failing_rows == [3, 10, 20]
    pairs = {(f["row"], f["column"]) for f in report.failures}
    assert pairs == {(3, "body_mass_g"), (10, "island"), (10, "flipper_length_mm"), (20, "species")}
    assert "row 10, column island" in str(report)


def test_missing_column_is_reported(penguins):
    df, spec = penguins
    report = validate(df.drop(columns=["sex"]), spec)
    assert any(f["column"] == "sex" for f in report.failures)


def test_snapshot_round_trips_with_hash_and_schema_version(penguins, tmp_path):
    df, spec = penguins
    meta = write_snapshot(df, spec, tmp_path / "p.parquet")
    back, meta2 = read_snapshot(tmp_path / "p.parquet")
    assert meta2 == meta and meta["schema_version"] == spec.schema_version
    assert content_hash(back) == meta["content_hash"]
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_hash_changes_when_one_value_changes(penguins):
    df, _ = penguins
    changed = df.copy()
    changed.loc[0, "bill_length_mm"] += 0.1
    assert content_hash(changed) != content_hash(df)


def test_second_table_uses_the_same_code():
    df, spec = load_table("wages")
    assert len(df) == 4165 and spec.target == "union"
    assert validate(df, spec).ok


def test_tampered_snapshot_is_refused(penguins, tmp_path):
    import json

    import pyarrow.parquet as pq

    df, spec = penguins
    path = tmp_path / "p.parquet"
    write_snapshot(df, spec, path)
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"roadmap.snapshot"])
    meta["content_hash"] = "sha256:0"
    pq.write_table(table.replace_schema_metadata({b"roadmap.snapshot": json.dumps(meta)}), path)
    with pytest.raises(ValueError, match="corrupt"):
        read_snapshot(path)
