"""Behaviour checks: every adversarial scenario is contained."""

from __future__ import annotations

from phase0_env.common.parity import ParityResult, behaviour
from phase4_llm.agents import scenarios


def checks() -> list[ParityResult]:
    """One check per attack on the sandbox, the registry and the loop."""
    out = [
        behaviour(f"sandbox: {name}", ok, detail)
        for name, (ok, detail) in scenarios.sandbox_cases().items()
    ]
    for name, case in (
        ("prompt injection via tool output", scenarios.injection_case),
        ("malformed arguments", scenarios.malformed_arguments_case),
        ("runaway tool timeout", scenarios.runaway_tool_case),
        ("retries only when idempotent", scenarios.retry_case),
        ("step and token budgets", scenarios.budget_case),
    ):
        ok, detail = case()
        out.append(behaviour(name, ok, detail))
    return out
