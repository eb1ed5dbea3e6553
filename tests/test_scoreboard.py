"""The scoreboard page: a summary, an index, collapsible sections, log-scale ratio plots; quiet
console output; and the page as a real headless Chromium renders it."""

import json
import os
import re
import subprocess
import sys

import pytest

from phase0_env import report
from phase0_env.common.parity import ParityResult, behaviour
from phase0_env.common.registry import Milestone, all_milestones
from phase0_env.common.sysprogs import find_program
from phase0_env.scoreboard_html import anchor, render_html

MILESTONES = all_milestones()


def _bench(milestone_id: str, ratios: list[float]) -> dict:
    rows = [
        {
            "case": "case",
            "size": 10**i,
            "ours_s": r,
            "reference": "lib",
            "ref_s": 1.0,
            "ratio": r,
            "quality": {"acc": 1.0},
        }
        for i, r in enumerate(ratios, 1)
    ]
    return {
        "milestone": milestone_id,
        "machine": {"cpus": 2},
        "created": "2026-01-02T03:04:05+0000",
        "quick": True,
        "rows": rows,
    }


def _rows() -> list:
    """Every registered milestone with one numeric and one behaviour check, and a bench."""
    rows = []
    for i, m in enumerate(MILESTONES):
        parity = report.MilestoneParity(m.id, m.reference)
        parity.results = [
            ParityResult("values", "numpy 2", 1e-9, 1e-7, True),
            behaviour("refuses bad input", i != 1, "accepted a NaN"),
        ]
        rows.append((m, parity, _bench(m.id, [0.5, 2.0 + i, 40.0])))
    return rows


def test_page_opens_with_a_summary_row_per_milestone_then_an_index_and_sections():
    page = render_html(_rows())
    summary = page.index("id='summary'")
    assert summary < page.index("id='index'") < page.index("<details")
    for m in MILESTONES:
        assert page.count(f"href='#{anchor(m.id)}'") == 2  # summary table and index
        assert f"<details id='{anchor(m.id)}'" in page
    # best / worst ratio of the first milestone, and its passed-check count
    first = page[summary : page.index("</tr>", page.index(anchor(MILESTONES[0].id)))]
    assert "2/2" in first and "0.5" in first and ">40<" in first
    assert page.count("class='ratio-plot'") == len(MILESTONES)
    # the failing milestone's section is open, with the behaviour check's finding
    assert page.count(" open>") == 1 and "FAIL accepted a NaN" in page


def test_behaviour_checks_have_no_error_or_tolerance_columns():
    parity = report.MilestoneParity("phase9_x.y", "behaviour checks")
    parity.results = [behaviour("idempotent", True), behaviour("dry run", True)]
    md = report.milestone_section(parity, None)
    assert "max error" not in md and "tolerance" not in md
    assert "| idempotent | pass |" in md
    page = render_html([(MILESTONES[0], parity, None)])
    section = page[page.index("<details") :]
    assert "max error" not in section and "tolerance" not in section


def test_ratio_plot_uses_a_log_scale(monkeypatch):
    import matplotlib.axes

    scales = []
    real = matplotlib.axes.Axes.set_yscale
    monkeypatch.setattr(
        matplotlib.axes.Axes, "set_yscale", lambda ax, v, **kw: scales.append(v) or real(ax, v)
    )
    from phase0_env.scoreboard_html import plot_ratios

    assert plot_ratios("m", _bench("m", [0.1, 1.0, 10.0])).startswith("<img")
    assert scales == ["log"]


def test_report_prints_one_line_per_milestone_and_logs_what_checks_print(
    tmp_path, monkeypatch, capfd
):
    fakes = [Milestone(f"phase9_x.m{i}", "t", "c", "lib", "m:f", "m:f", "m:f") for i in range(3)]

    def noisy_checks():
        print("GET /healthz 200 OK (access log)")
        print("UserWarning: something deprecated", file=sys.stderr)
        os.system("echo from a subprocess")
        return [behaviour("works", True)]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(report, "all_milestones", lambda: fakes)
    monkeypatch.setattr(Milestone, "load", lambda self, which: noisy_checks)
    (tmp_path / "reports" / "bench").mkdir(parents=True)
    (tmp_path / "reports" / "bench" / "phase9_x.m0.json").write_text(
        json.dumps(_bench("phase9_x.m0", [0.25, 4.0, 1.0]))
    )
    (tmp_path / "reports" / "demo_times.json").write_text(
        json.dumps({"steps": [{"milestone": "phase9_x.m0", "demo_ok": True, "demo_wall_s": 7.25}]})
    )
    assert report.write_scoreboard(tmp_path / "reports")
    out = capfd.readouterr()
    assert "access log" not in out.out + out.err and "deprecated" not in out.out + out.err
    assert len([line for line in out.out.splitlines() if "parity 1/1" in line]) == 3
    log = (tmp_path / "reports" / "logs" / "report.log").read_text()
    assert log.count("access log") == 3 and "from a subprocess" in log
    assert "<td class='num'>7.2</td>" in (tmp_path / "reports" / "scoreboard.html").read_text()
    md = (tmp_path / "reports" / "scoreboard.md").read_text()
    assert re.search(
        r"\| \[phase9_x\.m0\]\(#phase9_xm0\) \| lib \| pass \| 1/1 \| 0\.25 / 4\.00 \|"
        r".* \| 7\.2 \|",
        md,
    )


CHROMIUM = find_program("chromium") or find_program("chromium-browser")
# After load: count plots the browser decoded and in-page links whose target exists.
PROBE = """<script>window.addEventListener('load', () => {
  const imgs = [...document.querySelectorAll('img.ratio-plot')];
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 100);
  const links = [...document.querySelectorAll("a[href^='#']")];
  const dead = links.filter(a => !document.getElementById(a.getAttribute('href').slice(1)));
  const p = document.createElement('p');
  p.id = 'probe';
  p.textContent = `plots ${ok.length}/${imgs.length} links ${links.length} dead ${dead.length}`;
  document.body.appendChild(p);
});</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make setup)")
def test_scoreboard_renders_in_headless_chromium(tmp_path):
    page = render_html(_rows()).replace("</body>", PROBE + "</body>")
    path = tmp_path / "scoreboard.html"
    path.write_text(page)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    flags += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    probe_args = ["--virtual-time-budget=5000", "--dump-dom", path.as_uri()]
    done = subprocess.run(
        [str(CHROMIUM), *flags, f"--user-data-dir={tmp_path / 'profile'}", *probe_args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    probe = re.search(r'id="probe">plots (\d+)/(\d+) links (\d+) dead (\d+)<', done.stdout)
    assert probe, done.stdout[:2000]
    plots, n_plots, links, dead = map(int, probe.groups())
    assert plots == n_plots == len(MILESTONES)
    assert links == 2 * len(MILESTONES) and dead == 0
    assert done.stdout.count("<details") == len(MILESTONES)
    assert 'id="summary"' in done.stdout
