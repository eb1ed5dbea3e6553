"""`roadmap demo`: two steps at a time without two MLflow writers at once, partial runs that
update the last table, budgets that add up to the 10-minute goal, README copied on request;
`roadmap report`'s parity checks in two worker processes."""

import json
import threading
import time

import pytest

from phase0_env import cli, demo_table, first_run, parity_pool
from phase0_env.common.registry import Milestone, all_milestones


def _fake(name: str, *requirements: str) -> Milestone:
    return Milestone(f"phase9_x.{name}", "t", "c", "r", "m:f", "m:f", "m:f", requirements)


@pytest.fixture
def fake_steps(monkeypatch):
    """Steps that sleep briefly and record which ones ran at the same time."""
    running: set[str] = set()
    overlaps: list[set[str]] = []
    lock = threading.Lock()

    def fake_timed(args, log):
        log.write_text("x\n")
        with lock:
            running.add(args[1])
            overlaps.append(set(running))
        time.sleep(0.05)
        with lock:
            running.discard(args[1])
        return 0, 0.05, 1.0

    monkeypatch.setattr(first_run, "_timed", fake_timed)
    monkeypatch.setattr(first_run, "tree_state", lambda: [])
    return overlaps


def test_two_jobs_overlap_but_never_two_mlflow_writers(tmp_path, fake_steps):
    fakes = [_fake("a", "mlflow"), _fake("b", "mlflow>=2"), _fake("c"), _fake("d")]
    times = first_run.run_demos(fakes, tmp_path, jobs=2)
    assert [t.milestone for t in times] == [m.id for m in fakes]  # registry order, not run order
    assert all(t.ok and t.cpu_s == 2.0 for t in times)
    assert any(len(now) == 2 for now in fake_steps), "the steps never ran two at a time"
    assert not any({"phase9_x.a", "phase9_x.b"} <= now for now in fake_steps)


def test_a_partial_run_updates_its_rows_and_keeps_the_others(tmp_path, fake_steps):
    fakes = [_fake("a"), _fake("b")]
    first_run.run_demos(fakes, tmp_path)
    doc = json.loads((tmp_path / "demo_times.json").read_text())
    doc["steps"][0].update(demo_cpu_s=99.0, demo_wall_s=99.0)  # an older measurement of a
    (tmp_path / "demo_times.json").write_text(json.dumps(doc))
    keep = demo_table.load_times(tmp_path)
    first_run.run_demos(fakes[1:], tmp_path, keep=keep)
    steps = json.loads((tmp_path / "demo_times.json").read_text())["steps"]
    assert [(s["milestone"], s["demo_cpu_s"]) for s in steps] == [
        ("phase9_x.a", 99.0),
        ("phase9_x.b", 1.0),
    ]
    md = (tmp_path / "demo_times.md").read_text()
    assert "Over budget: phase9_x.a." in md and "Total CPU 102 s" in md


def test_the_readme_block_changes_only_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{demo_table.MARK_START}\nold\n{demo_table.MARK_END}\nrest\n")
    assert demo_table.write_readme_block("| new | table |\n", readme)
    assert readme.read_text() == (
        f"intro\n{demo_table.MARK_START}\n| new | table |\n{demo_table.MARK_END}\nrest\n"
    )
    (tmp_path / "OTHER.md").write_text("no markers\n")
    assert not demo_table.write_readme_block("x", tmp_path / "OTHER.md")


def test_the_repository_readme_has_the_block_the_demo_writes():
    text = (cli.Path(cli.__file__).resolve().parents[1] / "README.md").read_text()
    assert text.count(demo_table.MARK_START) == 1 and text.count(demo_table.MARK_END) == 1


def test_budgets_add_up_to_the_ten_minute_goal_on_two_cores():
    # The budgets are a static table (CPU seconds a step may take), so their sum is checked
    # here; the measured times are reported by `roadmap demo` (reports/demo_times.md).
    assert demo_table.budget_table_problems([m.id for m in all_milestones()]) == []
    over = demo_table.budget_table_problems(["x"] * int(demo_table.GOAL_S))
    assert over and "over the goal" in over[0]


def test_a_step_is_timed_by_its_own_cpu(tmp_path):
    rc, wall, cpu = first_run._timed(["list"], tmp_path / "list.log")
    assert rc == 0 and cpu > 0 and wall > 0
    assert "phase0_env.dotfiles" in (tmp_path / "list.log").read_text()


def test_parity_runs_in_two_workers_with_their_output_in_the_log(tmp_path):
    by_id = {m.id: m for m in all_milestones()}
    picked = [by_id["phase1_foundations.stats"], by_id["phase1_foundations.algorithms"]]
    log = tmp_path / "report.log"
    found = dict(parity_pool.parity_results(picked, log, jobs=2))
    assert sorted(found) == [0, 1]
    assert [found[i].milestone for i in (0, 1)] == [m.id for m in picked]
    assert all(found[i].passed for i in (0, 1)), [found[i].error for i in (0, 1)]


def test_a_parity_worker_that_dies_is_a_failed_milestone_not_a_crashed_report(tmp_path):
    dies = Milestone("phase9_x.dies", "t", "c", "lib", parity="os:abort")
    [(i, outcome)] = list(parity_pool.parity_results([dies], tmp_path / "log", jobs=2))
    assert i == 0 and not outcome.passed and "BrokenProcessPool" in outcome.error
