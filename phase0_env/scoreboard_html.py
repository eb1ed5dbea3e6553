"""The HTML scoreboard: a summary table, an index by phase, then one collapsible section per
milestone (parity checks, benchmark table, a log-scale plot of ours/reference time per size).

The page is one self-contained file (plots inline as base64 PNG), readable without a server.
"""

from __future__ import annotations

import base64
import html
import io
import time
from typing import Any

from phase0_env.common.registry import Milestone
from phase0_env.report import MilestoneParity, summary

Row = tuple[Milestone, MilestoneParity, "dict[str, Any] | None"]

CSS = (
    "body{font-family:sans-serif;max-width:1150px;margin:auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px}"
    "td.num{text-align:right}.fail{color:#b00;font-weight:bold}.pass{color:#070}"
    "details{border:1px solid #ddd;margin:.4em 0;padding:.3em .6em}"
    "summary{cursor:pointer;font-weight:bold}nav ul{columns:2}"
)


def render_html(rows: list[Row], demos: dict[str, float] | None = None) -> str:
    """The whole page for `(milestone, parity outcome, latest bench or None)` rows, with each
    milestone's last quick-demo time where `demos` has it."""
    n_pass = sum(p.passed for _, p, _ in rows)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Scoreboard</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Scoreboard</h1>",
        f"<p>Written by <code>roadmap report</code> on {time.strftime('%Y-%m-%d %H:%M')}: "
        f"{n_pass}/{len(rows)} milestones pass parity. Ratio = ours / reference time "
        "(below 1: ours is faster), best and worst over each benchmark's cases and sizes.</p>",
        _summary_table(rows, demos or {}),
        _index(rows),
    ]
    parts += [_section(m, p, b) for m, p, b in rows]
    parts.append("</body></html>")
    return "\n".join(parts)


def anchor(milestone_id: str) -> str:
    """The element id of a milestone's section."""
    return milestone_id.replace(".", "-")


def _summary_table(rows: list[Row], demos: dict[str, float]) -> str:
    out = [
        "<table id='summary'><tr><th>milestone</th><th>reference</th><th>parity checks passed</th>"
        "<th>best ours/ref</th><th>worst ours/ref</th><th>last bench run</th>"
        "<th>quick demo (s)</th></tr>"
    ]
    for m, p, b in rows:
        s = summary(p, b)
        css = "pass" if p.passed else "fail"
        best = f"{s['best']:.3g}" if s["best"] is not None else "-"
        worst = f"{s['worst']:.3g}" if s["worst"] is not None else "-"
        run = f"{s['bench_created'][:16].replace('T', ' ')} ({s['bench_mode']})" if b else "-"
        out.append(
            f"<tr><td><a href='#{anchor(m.id)}'>{html.escape(m.id)}</a></td>"
            f"<td>{html.escape(m.reference)}</td>"
            f"<td class='{css}'>{s['passed']}/{s['checks']}</td>"
            f"<td class='num'>{best}</td><td class='num'>{worst}</td><td>{run}</td>"
            f"<td class='num'>{f'{demos[m.id]:.1f}' if m.id in demos else '-'}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _index(rows: list[Row]) -> str:
    out = ["<nav id='index'><h2>Index</h2>"]
    phase = ""
    for m, _, _ in rows:
        if m.phase != phase:
            out.append(("</ul>" if phase else "") + f"<h3>{html.escape(m.phase)}</h3><ul>")
            phase = m.phase
        out.append(
            f"<li><a href='#{anchor(m.id)}'>{html.escape(m.name)}</a>: {html.escape(m.title)}</li>"
        )
    out.append("</ul></nav>" if rows else "</nav>")
    return "\n".join(out)


def _section(m: Milestone, p: MilestoneParity, bench: dict[str, Any] | None) -> str:
    css = "pass" if p.passed else "fail"
    out = [
        f"<details id='{anchor(m.id)}'{'' if p.passed else ' open'}><summary>"
        f"{html.escape(m.id)} <span class='{css}'>{'pass' if p.passed else 'FAIL'}</span>"
        "</summary>",
        f"<p>{html.escape(m.claim)}</p>",
    ]
    numeric = [r for r in p.results if r.reference != "behaviour"]
    behaviour = [r for r in p.results if r.reference == "behaviour"]
    if numeric:
        out.append(
            "<table><tr><th>check</th><th>reference</th><th>max error</th>"
            "<th>tolerance</th><th>result</th></tr>"
        )
        out += [
            f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(r.reference)}</td>"
            f"<td class='num'>{r.max_error:.3g}</td><td class='num'>{r.tolerance:.3g}</td>"
            f"{_result(r.passed, r.detail)}</tr>"
            for r in numeric
        ]
        out.append("</table>")
    if behaviour:
        out.append("<table><tr><th>behaviour check</th><th>result</th></tr>")
        out += [
            f"<tr><td>{html.escape(r.name)}</td>{_result(r.passed, r.detail)}</tr>"
            for r in behaviour
        ]
        out.append("</table>")
    if p.error:
        out.append(f"<pre class='fail'>{html.escape(p.error)}</pre>")
    if bench and bench.get("rows"):
        out.append(plot_ratios(m.id, bench))
        out.append(_bench_table(bench))
    else:
        out.append(
            "<p>No benchmark yet: run <code>roadmap bench " + html.escape(m.id) + "</code>.</p>"
        )
    out.append("</details>")
    return "\n".join(out)


def _result(passed: bool, detail: str) -> str:
    if passed:
        return "<td class='pass'>pass</td>"
    return f"<td class='fail'>FAIL {html.escape(detail)}</td>"


def _bench_table(bench: dict[str, Any]) -> str:
    out = [
        f"<p>Benchmark ({'quick' if bench.get('quick') else 'full'}, "
        f"{bench['machine'].get('cpus')} CPUs, {html.escape(str(bench.get('created', '')))})</p>",
        "<table><tr><th>case</th><th>size</th><th>ours (s)</th><th>reference</th>"
        "<th>ref (s)</th><th>ours/ref</th><th>quality</th></tr>",
    ]
    for row in bench["rows"]:
        ratio = f"{row['ratio']:.3g}" if row.get("ratio") is not None else "-"
        ref_s = f"{row['ref_s']:.4g}" if row.get("ref_s") is not None else "-"
        quality = ", ".join(f"{k}={_num(v)}" for k, v in row.get("quality", {}).items())
        out.append(
            f"<tr><td>{html.escape(str(row['case']))}</td><td>{html.escape(str(row['size']))}</td>"
            f"<td class='num'>{row['ours_s']:.4g}</td><td>{html.escape(str(row['reference']))}</td>"
            f"<td class='num'>{ref_s}</td><td class='num'>{ratio}</td>"
            f"<td>{html.escape(quality)}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def plot_ratios(milestone_id: str, bench: dict[str, Any]) -> str:
    """An inline PNG of ours/reference time per size on a log scale, one line per case
    (empty when no row has a reference time)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases: dict[str, list[tuple[Any, float]]] = {}
    for row in bench["rows"]:
        if row.get("ratio") is not None and row["ratio"] > 0:
            cases.setdefault(str(row["case"]), []).append((row["size"], row["ratio"]))
    if not cases:
        return ""
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for case, points in cases.items():
        ax.plot([str(s) for s, _ in points], [r for _, r in points], marker="o", label=case)
    ax.set_yscale("log")
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("size")
    ax.set_ylabel("ours / reference time (log)")
    ax.set_title(milestone_id, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    alt = f"ours/reference time per size (log scale), {html.escape(milestone_id)}"
    return f"<img class='ratio-plot' alt='{alt}' src='data:image/png;base64,{data}'>"


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
