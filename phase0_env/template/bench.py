"""Bench: `new_project` vs a plain `shutil.copytree` of the skeleton, for 1/10/50 projects.

copytree is the floor (a copy and nothing else); ours also validates, renders every file and
path and renames `dot-` files. Quality shows what the copy leaves undone: placeholders.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.template.generate import SKELETON, new_project
from phase0_env.template.inspect_tree import leftover_placeholders


def run(quick: bool = False) -> list[BenchRow]:
    """ours vs copytree at 1/10/50 projects (quick: 1/3/10)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="template-bench-") as tmp:
        root = Path(tmp)
        for n in sizes(quick, full=(1, 10, 50), small=(1, 3, 10)):
            last: dict[str, Path] = {}

            def ours(n: int = n, last: dict = last) -> None:
                batch = _fresh(root, last, "ours")
                for i in range(n):
                    new_project(f"proj{i}", batch / f"proj{i}")

            def copy(n: int = n, last: dict = last) -> None:
                batch = _fresh(root, last, "copy")
                for i in range(n):
                    shutil.copytree(SKELETON, batch / f"proj{i}")

            row = compare(
                "generate n projects", n, ours, copy, reference="shutil.copytree", repeats=5
            )
            first_ours, first_copy = last["ours"] / "proj0", last["copy"] / "proj0"
            row.quality = {
                "files": sum(p.is_file() for p in first_ours.rglob("*")),
                "placeholders_left_ours": len(leftover_placeholders(first_ours)),
                "placeholders_left_copy": len(leftover_placeholders(first_copy)),
            }
            rows.append(row)
    return rows


def _fresh(root: Path, last: dict[str, Path], who: str) -> Path:
    """A new empty batch folder for this repeat (the previous one of `who` removed first)."""
    if who in last:
        shutil.rmtree(last[who])
    batch = Path(tempfile.mkdtemp(prefix=f"{who}-", dir=root))
    last[who] = batch
    return batch
