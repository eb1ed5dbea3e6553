"""Walk the catalogue: each category's problems, a worked example, the oracle check."""

from __future__ import annotations

import random

from .catalogue import by_category, check
from .parity import checks


def main(quick: bool = False) -> None:
    """Print the problem index by category, one worked example each, and the checks."""
    for category, problems in by_category().items():
        print(f"\n{category} ({len(problems)})")
        for p in problems:
            print(f"  {p.name:<36} {p.complexity:<20} vs {p.oracle_name}")
        first = problems[0]
        args = first.gen(random.Random(3))
        print(f"  e.g. {first.name}{args!r} -> {first.ours(*args)!r}")
        assert check(first, random.Random(3)) is None
    print()
    for result in checks(cases=50 if quick else 200):
        print(("ok   " if result.passed else "FAIL ") + result.name)
