"""Function calling on constrained decoding: the model picks a tool by name, then its arguments.

Two constrained stages share one token stream: after the forced prefix `{"name": ` the model
may only spell one of the tool names (an enum); after `, "arguments": ` only an instance of
that tool's parameter schema. The call is therefore always well formed and its arguments
always validate (jsonschema re-checks it). Tools come from phase 4's agent `ToolRegistry`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from phase4_llm.common.constrained.vocab import TokenVocabulary
from phase4_llm.gpt.model import GPT

from .decoding import JsonConstraint, generate_json

NAME_PREFIX = '{"name": '
ARGS_PREFIX = ', "arguments": '


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: its name, what it does, and its argument schema."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass
class ToolCall:
    """One call the model produced: the parsed call and the text it spelled."""

    name: str
    arguments: dict[str, Any]
    text: str


def tools_from_registry(registry: Any) -> list[ToolSpec]:
    """The tools of a phase 4 `ToolRegistry` (its OpenAI-style `describe()` list)."""
    return [
        ToolSpec(d["function"]["name"], d["function"]["description"], d["function"]["parameters"])
        for d in registry.describe()
    ]


def tool_prompt_messages(
    tools: list[ToolSpec], request: str, example: dict[str, Any] | None = None
) -> list[dict[str, str]]:
    """Chat messages that list the tools and ask for one call as JSON (shown `example` call)."""
    listing = json.dumps(
        [{"name": t.name, "description": t.description, "parameters": t.parameters} for t in tools]
    )
    system = (
        "You are an assistant that calls tools. Tools: " + listing + "\nReply with one JSON "
        'object {"name": <tool name>, "arguments": {...}} and nothing else.'
    )
    if example is not None:  # small models copy the format they are shown
        system += " For example: " + json.dumps(example)
    return [{"role": "system", "content": system}, {"role": "user", "content": request}]


class FunctionCaller:
    """Constrained tool calls for one model, tokenizer and tool list."""

    def __init__(
        self,
        model: GPT,
        encode: Callable[[str], list[int]],
        vocab: TokenVocabulary,
        tools: list[ToolSpec],
    ) -> None:
        if not tools:
            raise ValueError("at least one tool is needed")
        self.model, self.encode, self.vocab = model, encode, vocab
        self.tools = {t.name: t for t in tools}
        self.name_schema = {"enum": list(self.tools)}

    def call(self, prompt: str, max_argument_tokens: int = 96, **sampling: Any) -> ToolCall:
        """The model's tool call after `prompt` (a formatted chat prompt); greedy by default."""
        ids = self.encode(prompt + NAME_PREFIX)
        names = JsonConstraint(self.name_schema, self.vocab)
        picked = generate_json(self.model, ids, names, names.min_tokens() + 16, **sampling)
        name = json.loads(picked.text)
        args = JsonConstraint(self.tools[name].parameters, self.vocab)
        ids = ids + [t for t in picked.tokens if t not in self.vocab.eos_ids]
        ids += self.encode(ARGS_PREFIX)
        budget = max(max_argument_tokens, args.min_tokens())
        out = generate_json(self.model, ids, args, budget, **sampling)
        text = NAME_PREFIX + picked.text + ARGS_PREFIX + out.text + "}"
        call = json.loads(text)
        return ToolCall(call["name"], call["arguments"], text)


def validate_call(call: dict[str, Any], tools: list[ToolSpec]) -> str | None:
    """None when `call` names a known tool with valid arguments, else the reason it does not."""
    import jsonschema

    if not isinstance(call, dict) or set(call) != {"name", "arguments"}:
        return "not an object with exactly 'name' and 'arguments'"
    spec = {t.name: t for t in tools}.get(call["name"])
    if spec is None:
        return f"unknown tool {call['name']!r}"
    try:
        jsonschema.validate(call["arguments"], spec.parameters)
    except jsonschema.ValidationError as exc:
        return f"invalid arguments: {exc.message}"
    return None


def first_json_object(text: str) -> Any:
    """The first JSON value that starts at a '{' in free text (None when there is none)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            return decoder.raw_decode(text, start)[0]
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
    return None
