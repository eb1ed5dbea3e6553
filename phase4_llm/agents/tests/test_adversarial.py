"""Every attack on the sandbox, the tool registry and the loop is contained."""

import pytest

from phase4_llm.agents import scenarios
from phase4_llm.agents.parity import checks

SANDBOX_CASES = [
    "file-size bomb",
    "fork bomb",
    "infinite loop (cpu limit)",
    "memory bomb",
    "network access",
    "sleeping program (wall clock)",
]


@pytest.fixture(scope="module")
def sandbox_outcomes():
    return scenarios.sandbox_cases()


def test_every_sandbox_case_is_tested(sandbox_outcomes):
    assert sorted(sandbox_outcomes) == SANDBOX_CASES


@pytest.mark.parametrize("case", SANDBOX_CASES)
def test_sandbox_contains(case, sandbox_outcomes):
    ok, detail = sandbox_outcomes[case]
    assert ok, f"{case}: {detail}"


@pytest.mark.parametrize(
    "case",
    [
        scenarios.injection_case,
        scenarios.malformed_arguments_case,
        scenarios.runaway_tool_case,
        scenarios.retry_case,
        scenarios.budget_case,
    ],
    ids=lambda f: f.__name__,
)
def test_loop_and_registry_contain(case):
    ok, detail = case()
    assert ok, detail


def test_checks_cover_every_scenario():
    results = checks()
    assert len(results) == len(SANDBOX_CASES) + 5
    assert all(r.passed for r in results), [r for r in results if not r.passed]
