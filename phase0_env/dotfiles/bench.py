"""Bench: our installer vs a plain `ln -sf` shell loop, linking 10/100/1000 generated files.

Each repeat links into a fresh HOME. The shell loop runs as one bash subprocess (its start-up
is part of its cost, as it is for a user); ours does more per file (lstat, manifest, backups),
which is what the ratio prices. Quality: files correctly linked by each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.dotfiles.installer import install

LN_LOOP = 'for f in "$1"/*; do ln -sf "$f" "$2/.$(basename "$f")"; done'


def run(quick: bool = False) -> list[BenchRow]:
    """ours vs `ln -sf` loop at 10/100/1000 files (quick: 10/50/100)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="dotfiles-bench-") as tmp:
        root = Path(tmp)
        for n in sizes(quick, full=(10, 100, 1000), small=(10, 50, 100)):
            src = root / f"src-{n}"
            src.mkdir()
            for i in range(n):
                (src / f"file{i:04d}").write_text(f"# dotfile {i}\n")
            links = {src / f"file{i:04d}": f".file{i:04d}" for i in range(n)}
            last: dict[str, Path] = {}

            def ours(n: int = n, links: dict = links, last: dict = last) -> None:
                home = _fresh_home(root, last, "ours")
                install(home, links=links)

            def shell(n: int = n, src: Path = src, last: dict = last) -> None:
                home = _fresh_home(root, last, "shell")
                subprocess.run(["bash", "-c", LN_LOOP, "ln-loop", str(src), str(home)], check=True)

            row = compare(
                "symlink n dotfiles",
                n,
                ours,
                shell,
                reference="ln -sf loop (bash)",
                repeats=3,
                warmup=1,
            )
            row.quality = {
                "ours_linked": _count_linked(last["ours"], links),
                "ln_linked": _count_linked(last["shell"], links),
                "files": n,
            }
            rows.append(row)
    return rows


def _fresh_home(root: Path, last: dict[str, Path], who: str) -> Path:
    """A new empty HOME for this repeat (the previous one of `who` is removed first)."""
    if who in last:
        shutil.rmtree(last[who])
    home = Path(tempfile.mkdtemp(prefix=f"home-{who}-", dir=root))
    last[who] = home
    return home


def _count_linked(home: Path, links: dict[Path, str]) -> int:
    return sum(
        (home / rel).is_symlink() and os.path.samefile(home / rel, src)
        for src, rel in links.items()
    )
