"""Demo: make a project with the one-click template and copy a milestone out as a starter."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from phase0_env.template.generate import new_project
from phase0_env.template.inspect_tree import leftover_placeholders, phase_imports, tree_files
from phase0_env.template.starter import copy_milestone


def main(quick: bool = False) -> None:
    """`roadmap new-project demo_pkg` and `roadmap new phase0_env.hello_service`, in a temp dir."""
    from phase0_env.common.registry import get_milestone

    with tempfile.TemporaryDirectory(prefix="template-demo-") as tmp:
        root = new_project("demo_pkg", Path(tmp) / "demo_pkg")
        print(f"$ roadmap new-project demo_pkg {root}")
        for rel in tree_files(root):
            print(f"  {rel}")
        print(f"placeholders left: {len(leftover_placeholders(root))}")
        for label, cmd in (
            ("ruff check", [sys.executable, "-m", "ruff", "check", "--no-cache", "."]),
            ("pytest", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]),
        ):
            out = subprocess.run(
                cmd,
                cwd=root,
                capture_output=True,
                text=True,
                timeout=300,
                env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
            )
            last = (out.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"{label:<11} exit {out.returncode}: {last}")

        starter = copy_milestone(get_milestone("phase0_env.hello_service"), Path(tmp) / "hello")
        files = tree_files(starter)
        print(f"\n$ roadmap new phase0_env.hello_service {starter}")
        print(f"  {len(files)} files; top level: {sorted({f.split('/')[0] for f in files})}")
        app = (starter / "src/hello_service/app.py").read_text().splitlines()
        print("  rewritten import: " + next(line for line in app if "common.service" in line))
        print(f"  roadmap imports left: {len(phase_imports(starter))}")
        print(
            "\nA plain copy (the reference, shutil.copytree) would leave every {{name}} in place"
            " and every `phase0_env.` import pointing at a package the starter does not have."
        )
