"""Function calling over phase 4's tool registry, and the evaluation harness, with a tiny GPT."""

from __future__ import annotations

import json
import string

import jsonschema
import pytest
import torch

from phase4_llm.agents.toolbox import example_registry
from phase4_llm.common.constrained.vocab import CharTokenizer
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase6_tracks.structured_outputs.function_calling import (
    FunctionCaller,
    first_json_object,
    tools_from_registry,
    validate_call,
)
from phase6_tracks.structured_outputs.harness import TextModel, evaluate, to_markdown
from phase6_tracks.structured_outputs.tasks import extraction_items, needle_items, tool_items


@pytest.fixture(scope="module")
def tiny() -> tuple[GPT, CharTokenizer]:
    tok = CharTokenizer(string.printable)
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=tok.vocab_size, block_size=2048, n_layer=1, n_head=2, n_embd=16)
    return GPT(cfg).eval(), tok


def test_tool_calls_name_a_registered_tool_with_valid_arguments(tiny) -> None:
    model, tok = tiny
    registry = example_registry()
    tools = tools_from_registry(registry)
    assert [t.name for t in tools] == ["calculator", "search_notes", "send_email", "run_python"]
    caller = FunctionCaller(model, tok.encode, tok.vocabulary(), tools)
    seen = set()
    for seed in range(6):
        call = caller.call("Call a tool: ", max_argument_tokens=40, do_sample=True, seed=seed)
        parsed = json.loads(call.text)
        assert parsed == {"name": call.name, "arguments": call.arguments}
        assert validate_call(parsed, tools) is None
        spec = next(t for t in tools if t.name == call.name)
        jsonschema.validate(call.arguments, spec.parameters)
        seen.add(call.name)
    assert len(seen) >= 2  # sampling reaches more than one tool
    # a valid call really runs in the registry (search_notes has an enum argument)
    notes = FunctionCaller(
        model, tok.encode, tok.vocabulary(), [t for t in tools if t.name == "search_notes"]
    )
    call = notes.call("Notes: ", do_sample=True, seed=0)
    assert isinstance(registry.call(call.name, call.arguments), str)


def test_validate_call_reports_what_is_wrong(tiny) -> None:
    tools = tools_from_registry(example_registry())
    assert "unknown tool" in validate_call({"name": "rm", "arguments": {}}, tools)
    assert "invalid arguments" in validate_call({"name": "calculator", "arguments": {}}, tools)
    assert "exactly" in validate_call({"name": "calculator"}, tools)
    assert first_json_object('noise {"a": [1, 2]} tail {') == {"a": [1, 2]}
    assert first_json_object("no json {here") is None


def test_harness_constrained_is_always_valid_where_free_text_is_not(tiny) -> None:
    model, tok = tiny
    tm = TextModel("tiny GPT (random)", model, tok.encode, tok.vocabulary(), max_new_tokens=60)
    items = extraction_items(2) + tool_items(2) + needle_items(1)
    rows = evaluate([tm], items, tools_from_registry(example_registry()))
    by = {(r["mode"], r["task"]): r for r in rows}
    assert len(rows) == 6
    for task in ("json extraction", "tool choice", "needle retrieval"):
        assert by[("constrained", task)]["schema_valid"] == 1.0
        assert by[("free", task)]["schema_valid"] == 0.0  # random weights never write JSON
    table = to_markdown(rows)
    assert table.count("\n") == len(rows) + 1 and "| constrained | tool choice |" in table
