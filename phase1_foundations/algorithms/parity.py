"""Every problem against its oracle on seeded inputs, one check per category."""

from __future__ import annotations

import random

from phase0_env.common.parity import ParityResult, behaviour

from .catalogue import by_category, check

CASES = 200  # seeded inputs per problem


def checks(cases: int = CASES) -> list[ParityResult]:
    """One result per category: every problem equals its oracle on `cases` inputs."""
    out = []
    for category, problems in by_category().items():
        misses = []
        for problem in problems:
            rng = random.Random(f"{problem.name}:{cases}")
            for _ in range(cases):
                miss = check(problem, rng)
                if miss:
                    misses.append(miss)
                    break
        oracles = sorted({p.oracle_name for p in problems})
        out.append(
            behaviour(
                f"{category}: {len(problems)} problems x {cases} inputs equal {', '.join(oracles)}",
                not misses,
                "; ".join(m[:300] for m in misses),
            )
        )
    return out
