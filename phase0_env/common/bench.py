"""The benchmark harness: ours and the reference in one process, on the same data, as ratios.

A milestone's `bench(quick)` returns a list of `BenchRow`s, usually built with `compare`;
`roadmap bench` adds the machine description and writes `reports/bench/<milestone>.json`.
Timing is the median of `repeats` runs after `warmup` runs; nothing here asserts on time.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPORT_DIR = Path("reports") / "bench"


@dataclass
class BenchRow:
    """One measured case at one size."""

    case: str
    size: int | str
    ours_s: float
    reference: str
    ref_s: float | None
    quality: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """ours / reference time: below 1 means ours is faster."""
        if self.ref_s is None or self.ref_s <= 0:
            return None
        return self.ours_s / self.ref_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "size": self.size,
            "ours_s": self.ours_s,
            "reference": self.reference,
            "ref_s": self.ref_s,
            "ratio": self.ratio,
            "quality": self.quality,
        }


def median_time(fn: Callable[[], Any], *, repeats: int = 5, warmup: int = 1) -> float:
    """Median wall time of `fn()` in seconds over `repeats` runs, after `warmup` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(
    case: str,
    size: int | str,
    ours: Callable[[], Any],
    ref: Callable[[], Any] | None,
    *,
    reference: str,
    repeats: int = 5,
    warmup: int = 1,
    quality: dict[str, Any] | None = None,
) -> BenchRow:
    """Time `ours` and `ref` alternately-free, back to back, and return one row."""
    ours_s = median_time(ours, repeats=repeats, warmup=warmup)
    ref_s = median_time(ref, repeats=repeats, warmup=warmup) if ref is not None else None
    return BenchRow(case, size, ours_s, reference, ref_s, dict(quality or {}))


def sizes(quick: bool, full: Sequence[int], small: Sequence[int] | None = None) -> list[int]:
    """The three (or more) sizes of a benchmark; `quick` uses `small` (default: full / 10)."""
    if not quick:
        return list(full)
    if small is not None:
        return list(small)
    return [max(1, s // 10) for s in full]


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }
    try:
        import numpy as np

        info["numpy"] = np.__version__
    except ImportError:  # pragma: no cover - numpy is a base dependency
        pass
    return info


def bench_report(milestone_id: str, rows: Sequence[BenchRow]) -> dict[str, Any]:
    """The JSON document `roadmap bench` prints and writes."""
    return {
        "milestone": milestone_id,
        "machine": machine_info(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rows": [row.to_dict() for row in rows],
    }


def write_bench_report(report: dict[str, Any], root: Path | None = None) -> Path:
    """Write `reports/bench/<milestone>.json` (atomically) and return its path."""
    out_dir = (root or Path.cwd()) / REPORT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{report['milestone']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, default=str))
    tmp.replace(path)
    return path


def format_rows(rows: Sequence[BenchRow]) -> str:
    """A plain-text table of rows: case, size, ours, reference, ratio, quality."""
    header = f"{'case':<28} {'size':>10} {'ours (s)':>11} {'ref (s)':>11} {'ratio':>7}  quality"
    lines = [header, "-" * len(header)]
    for r in rows:
        ref = f"{r.ref_s:11.4g}" if r.ref_s is not None else f"{'-':>11}"
        ratio = f"{r.ratio:7.2f}" if r.ratio is not None else f"{'-':>7}"
        qual = ", ".join(f"{k}={_fmt(v)}" for k, v in r.quality.items())
        lines.append(f"{r.case:<28} {r.size!s:>10} {r.ours_s:11.4g} {ref} {ratio}  {qual}")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
