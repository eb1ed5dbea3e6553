"""The scoreboard: every milestone's parity checks run now, beside its latest benchmark.

`roadmap report` writes `reports/scoreboard.md` and `reports/scoreboard.html` (with a plot
of ours/reference time ratio per size for each milestone); with `--readmes` it also
rewrites the block between the scoreboard markers in each milestone's README.
"""

from __future__ import annotations

import base64
import html
import io
import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase0_env.common.bench import REPORT_DIR
from phase0_env.common.parity import ParityResult
from phase0_env.common.registry import Milestone, all_milestones

START = "<!-- scoreboard:start (written by `roadmap report --readmes`; do not edit) -->"
END = "<!-- scoreboard:end -->"


@dataclass
class MilestoneParity:
    """All parity results of one milestone, or the error that stopped them."""

    milestone: str
    reference: str
    results: list[ParityResult] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.results) and all(r.passed for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "milestone": self.milestone,
            "reference": self.reference,
            "passed": self.passed,
            "error": self.error,
            "seconds": self.seconds,
            "checks": [r.to_dict() for r in self.results],
        }

    def format(self) -> str:
        lines = [
            f"{self.milestone}: {'PASS' if self.passed else 'FAIL'} "
            f"({len(self.results)} checks, {self.seconds:.1f} s)"
        ]
        for r in self.results:
            mark = "ok  " if r.passed else "FAIL"
            lines.append(
                f"  {mark} {r.name:<46} {r.reference:<26} "
                f"max err {r.max_error:<10.3g} tol {r.tolerance:.3g}"
                + ("" if r.passed else f"  {r.detail}")
            )
        if self.error:
            lines.append(f"  ERROR {self.error}")
        elif not self.results:
            lines.append("  FAIL no parity checks were returned")
        return "\n".join(lines)


def run_parity(milestone: Milestone) -> MilestoneParity:
    """Run one milestone's parity callable, catching its failure as a failed outcome."""
    outcome = MilestoneParity(milestone.id, milestone.reference)
    start = time.perf_counter()
    try:
        outcome.results = list(milestone.load("parity")())
    except Exception:
        outcome.error = traceback.format_exc()
    outcome.seconds = time.perf_counter() - start
    return outcome


def latest_bench(milestone_id: str, root: Path | None = None) -> dict[str, Any] | None:
    """The last `roadmap bench` report written for this milestone, if any."""
    path = (root or Path.cwd()) / REPORT_DIR / f"{milestone_id}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def write_scoreboard(out: Path, *, update_readmes: bool = False, only: str = "") -> bool:
    """Run every parity check, gather benches, write the scoreboard; True if all passed.

    With `only` (an id prefix) just those milestones run and only their READMEs are
    rewritten: a partial scoreboard would mislead, so none is written.
    """
    from tqdm import tqdm

    milestones = [m for m in all_milestones() if m.id.startswith(only)]
    if only and not milestones:
        raise LookupError(f"no milestone id starts with {only!r}")
    rows = []
    bar = tqdm(milestones, desc="scoreboard", unit="milestone")
    for m in bar:
        bar.set_postfix_str(m.id)
        rows.append((m, run_parity(m), latest_bench(m.id)))
    if update_readmes or only:
        for m, parity, bench in rows:
            update_readme(m, parity, bench)
    failed = [p.milestone for _, p, _ in rows if not p.passed]
    if not only:
        out.mkdir(parents=True, exist_ok=True)
        (out / "scoreboard.md").write_text(_markdown(rows))
        (out / "scoreboard.html").write_text(_html(rows))
        print(f"wrote {out / 'scoreboard.md'} and {out / 'scoreboard.html'}")
    print(f"scoreboard: {len(rows) - len(failed)}/{len(rows)} milestones pass parity")
    for name in failed:
        print(f"  FAILED: {name}")
    return not failed


def milestone_section(parity: MilestoneParity, bench: dict[str, Any] | None) -> str:
    """The Markdown block of one milestone: parity table, then benchmark table."""
    lines = ["| check | reference | max error | tolerance | result |", "|---|---|---|---|---|"]
    for r in parity.results:
        lines.append(
            f"| {r.name} | {r.reference} | {r.max_error:.3g} | {r.tolerance:.3g} "
            f"| {'pass' if r.passed else '**FAIL**'} |"
        )
    if parity.error:
        last = parity.error.strip().splitlines()[-1]
        lines.append(f"| (error) | | | | **{last}** |")
    if bench:
        lines += [
            "",
            f"Benchmark ({'quick' if bench.get('quick') else 'full'}, "
            f"{bench['machine'].get('cpus')} CPUs, {bench.get('created', '')}):",
            "",
            "| case | size | ours (s) | reference | ref (s) | ours/ref | quality |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in bench["rows"]:
            ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
            ref_s = f"{row['ref_s']:.4g}" if row.get("ref_s") is not None else "-"
            qual = ", ".join(f"{k}={_num(v)}" for k, v in row.get("quality", {}).items())
            lines.append(
                f"| {row['case']} | {row['size']} | {row['ours_s']:.4g} | "
                f"{row['reference']} | {ref_s} | {ratio} | {qual} |"
            )
    else:
        lines += ["", "No benchmark yet: run `roadmap bench <id>`."]
    return "\n".join(lines)


def update_readme(milestone: Milestone, parity: MilestoneParity, bench: dict | None) -> bool:
    """Replace the scoreboard block of the milestone's README (appended when missing)."""
    readme = milestone.folder / "README.md"
    if not readme.exists():
        return False
    text = readme.read_text()
    block = f"{START}\n{milestone_section(parity, bench)}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n## Scoreboard\n\n" + block + "\n"
    readme.write_text(text)
    return True


def _markdown(rows: list[tuple[Milestone, MilestoneParity, dict | None]]) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Scoreboard",
        "",
        f"Written by `roadmap report` on {stamp}.",
        "",
        "| milestone | reference | parity | checks | best / worst ours/ref |",
        "|---|---|---|---|---|",
    ]
    for m, p, b in rows:
        ratios = [r["ratio"] for r in (b or {}).get("rows", []) if r.get("ratio") is not None]
        spread = f"{min(ratios):.2f} / {max(ratios):.2f}" if ratios else "-"
        lines.append(
            f"| {m.id} | {m.reference} | {'pass' if p.passed else '**FAIL**'} "
            f"| {sum(r.passed for r in p.results)}/{len(p.results)} | {spread} |"
        )
    for m, p, b in rows:
        lines += ["", f"## {m.id}: {m.title}", "", m.claim, "", milestone_section(p, b)]
    return "\n".join(lines) + "\n"


def _html(rows: list[tuple[Milestone, MilestoneParity, dict | None]]) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Scoreboard</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}"
        ".fail{color:#b00;font-weight:bold}.pass{color:#070}</style></head><body>",
        "<h1>Scoreboard</h1>",
        f"<p>Written by <code>roadmap report</code> on {time.strftime('%Y-%m-%d %H:%M')}.</p>",
    ]
    for m, p, b in rows:
        css = "pass" if p.passed else "fail"
        parts.append(
            f"<h2>{html.escape(m.id)} <span class='{css}'>"
            f"{'pass' if p.passed else 'FAIL'}</span></h2><p>{html.escape(m.claim)}</p>"
        )
        parts.append(
            "<table><tr><th>check</th><th>reference</th><th>max error</th>"
            "<th>tolerance</th><th>result</th></tr>"
        )
        for r in p.results:
            parts.append(
                f"<tr><td>{html.escape(r.name)}</td><td>{html.escape(r.reference)}</td>"
                f"<td>{r.max_error:.3g}</td><td>{r.tolerance:.3g}</td>"
                f"<td class='{'pass' if r.passed else 'fail'}'>"
                f"{'pass' if r.passed else 'FAIL'}</td></tr>"
            )
        parts.append("</table>")
        if p.error:
            parts.append(f"<pre class='fail'>{html.escape(p.error)}</pre>")
        if b and b.get("rows"):
            parts.append(_plot(m.id, b))
    parts.append("</body></html>")
    return "\n".join(parts)


def _plot(milestone_id: str, bench: dict[str, Any]) -> str:
    """A PNG (inline, base64) of ours/reference ratio per size, one line per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases: dict[str, list[tuple[Any, float]]] = {}
    for row in bench["rows"]:
        if row.get("ratio") is not None:
            cases.setdefault(row["case"], []).append((row["size"], row["ratio"]))
    if not cases:
        return ""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for case, points in cases.items():
        labels = [str(s) for s, _ in points]
        ax.plot(labels, [r for _, r in points], marker="o", label=case)
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("size")
    ax.set_ylabel("ours / reference time")
    ax.set_title(milestone_id, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    alt = f"ours/reference time per size, {html.escape(milestone_id)}"
    return f"<img alt='{alt}' src='data:image/png;base64,{data}'>"


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
