"""Every problem equals its oracle on inputs hypothesis draws (it drives the generators'
Random, so a failure shrinks to a small input)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase1_foundations.algorithms.catalogue import PROBLEMS, by_category, check


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
@given(rng=st.randoms(use_true_random=False))
def test_problem_equals_its_oracle(problem, rng):
    assert check(problem, rng) is None


def test_the_catalogue_covers_the_roadmap_categories_with_60_problems_or_more():
    assert len(PROBLEMS) >= 60
    assert len({p.name for p in PROBLEMS}) == len(PROBLEMS)
    wanted = {
        "arrays",
        "strings",
        "two pointers",
        "sliding window",
        "binary search",
        "stacks",
        "queues",
        "heaps",
        "trees",
        "graphs",
        "shortest paths",
        "union-find",
        "topological sort",
        "dynamic programming",
    }
    assert wanted <= set(by_category())


def test_every_problem_states_its_complexity_in_the_catalogue():
    assert all(p.complexity.startswith("O(") for p in PROBLEMS)


def test_a_wrong_answer_is_caught_and_names_its_input():
    import random
    from dataclasses import replace

    broken = replace(PROBLEMS[0], ours=lambda nums, target: None)  # two_sum that never finds
    misses = [check(broken, random.Random(i)) for i in range(50)]
    assert any(m and "two_sum" in m and "brute force" in m for m in misses)


def test_the_readme_indexes_every_problem():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert [p.name for p in PROBLEMS if f"`{p.name}`" not in readme] == []
