"""A recent-window view of query latency and errors, rendered as static HTML with SVG bars."""

from __future__ import annotations

import html
import threading
import time
from collections import deque

import numpy as np


class RecentWindow:
    """The last `size` queries (or `seconds`): time, per-stage ms, error flag."""

    def __init__(self, size: int = 1000, seconds: float = 900.0) -> None:
        self.items: deque[tuple[float, dict[str, float], bool]] = deque(maxlen=size)
        self.seconds = seconds
        self._lock = threading.Lock()

    def add(self, when: float, latency_ms: dict[str, float], *, error: bool) -> None:
        with self._lock:
            self.items.append((when, dict(latency_ms), error))

    def snapshot(self) -> list[tuple[float, dict[str, float], bool]]:
        cutoff = time.time() - self.seconds
        with self._lock:
            return [it for it in self.items if it[0] >= cutoff]

    def summary(self, stages: tuple[str, ...]) -> dict:
        """Count, errors, and p50/p95/p99 per stage in ms."""
        items = self.snapshot()
        out: dict = {"requests": len(items), "errors": sum(1 for i in items if i[2]), "stages": {}}
        for stage in stages:
            vals = [i[1][stage] for i in items if stage in i[1]]
            if vals:
                p = np.percentile(vals, [50, 95, 99])
                out["stages"][stage] = {
                    "n": len(vals),
                    "p50": float(p[0]),
                    "p95": float(p[1]),
                    "p99": float(p[2]),
                }
        return out


def render_dashboard(window: RecentWindow, stages: tuple[str, ...], index_size: int) -> str:
    """An HTML page: a table and bar chart of stage percentiles, errors per minute."""
    s = window.summary(stages)
    rows, bars = [], []
    peak = max([v["p95"] for v in s["stages"].values()] + [1e-9])
    for i, (stage, v) in enumerate(s["stages"].items()):
        rows.append(
            f"<tr><td>{html.escape(stage)}</td><td>{v['n']}</td><td>{v['p50']:.3f}</td>"
            f"<td>{v['p95']:.3f}</td><td>{v['p99']:.3f}</td></tr>"
        )
        w = 400 * v["p95"] / peak
        bars.append(
            f'<rect x="90" y="{i * 22}" width="{w:.1f}" height="18" fill="#4a7"/>'
            f'<text x="0" y="{i * 22 + 14}">{html.escape(stage)}</text>'
            f'<text x="{95 + w:.1f}" y="{i * 22 + 14}">{v["p95"]:.3f} ms</text>'
        )
    per_min: dict[int, list[int]] = {}
    for when, _, err in window.snapshot():
        slot = per_min.setdefault(int(when // 60), [0, 0])
        slot[0] += 1
        slot[1] += int(err)
    err_bars = []
    for i, (minute, (n, e)) in enumerate(sorted(per_min.items())[-15:]):
        label = time.strftime("%H:%M", time.gmtime(minute * 60))
        err_bars.append(
            f'<rect x="{i * 40}" y="{100 - 100 * e / max(n, 1):.1f}" width="30" '
            f'height="{100 * e / max(n, 1):.1f}" fill="#c44"/>'
            f'<text x="{i * 40}" y="115">{label} {e}/{n}</text>'
        )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>RAG dashboard</title>
<meta http-equiv="refresh" content="10"></head><body style="font-family:sans-serif">
<h1>RAG service: last {window.seconds / 60:.0f} minutes</h1>
<p>requests: <b id="requests">{s["requests"]}</b> &middot; errors: <b id="errors">{s["errors"]}</b>
&middot; index size: <b id="index-size">{index_size}</b> chunks</p>
<h2>Latency per stage (ms)</h2>
<table border="1" cellpadding="4">
<tr><th>stage</th><th>n</th><th>p50</th><th>p95</th><th>p99</th></tr>
{"".join(rows)}</table>
<svg width="620" height="{22 * max(1, len(bars))}">{"".join(bars)}</svg>
<h2>Errors per minute</h2><svg width="620" height="120">{"".join(err_bars)}</svg>
</body></html>"""
