"""The benchmark harness: medians, ratios, sizes and the JSON report shape."""

import json

from phase0_env.common.bench import (
    BenchRow,
    bench_report,
    compare,
    format_rows,
    median_time,
    sizes,
    write_bench_report,
)


def test_median_time_calls_warmup_plus_repeats():
    calls = []
    median_time(lambda: calls.append(1), repeats=3, warmup=2)
    assert len(calls) == 5


def test_ratio_is_ours_over_reference():
    row = BenchRow("c", 10, ours_s=2.0, reference="r", ref_s=4.0)
    assert row.ratio == 0.5
    assert BenchRow("c", 10, 1.0, "r", None).ratio is None


def test_compare_times_both_sides_and_keeps_quality():
    row = compare(
        "sum",
        100,
        lambda: sum(range(100)),
        lambda: sum(range(100)),
        reference="builtin",
        repeats=2,
        quality={"acc": 1.0},
    )
    assert row.ours_s > 0 and row.ref_s > 0 and row.quality == {"acc": 1.0}


def test_sizes_quick_and_full():
    assert sizes(False, (1000, 10000, 100000)) == [1000, 10000, 100000]
    assert sizes(True, (1000, 10000, 100000)) == [100, 1000, 10000]
    assert sizes(True, (1, 2, 3), small=(1, 1, 1)) == [1, 1, 1]


def test_report_has_the_documented_shape(tmp_path):
    rows = [BenchRow("c", 1, 1.0, "ref", 2.0, {"q": 0.9})]
    report = bench_report("phase9_x.y", rows)
    path = write_bench_report(report, root=tmp_path)
    data = json.loads(path.read_text())
    assert path == tmp_path / "reports" / "bench" / "phase9_x.y.json"
    assert set(data) >= {"milestone", "machine", "rows"}
    assert data["rows"][0] == {
        "case": "c",
        "size": 1,
        "ours_s": 1.0,
        "reference": "ref",
        "ref_s": 2.0,
        "ratio": 0.5,
        "quality": {"q": 0.9},
    }
    assert "0.50" in format_rows(rows)
