"""A small evaluation harness: the same tasks for several models, free vs constrained, as a table.

A `TextModel` turns a prompt into text, optionally under a JSON schema. Scoring reuses phase 4's
SQuAD metrics (exact match, token F1) per field; JSON validity is json.loads, schema validity is
jsonschema. Free text is scored on its first JSON object, as a caller parsing it would do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema

from phase4_llm.common.constrained.vocab import TokenVocabulary
from phase4_llm.evals.qa import exact_match, token_f1
from phase4_llm.gpt.model import GPT

from .decoding import JsonConstraint, generate_json
from .function_calling import FunctionCaller, ToolSpec, first_json_object, validate_call
from .tasks import TOOL_EXAMPLE, Item


@dataclass
class TextModel:
    """A phase 4 GPT with its tokenizer: `prompt_of` formats a request (chat template or raw)."""

    name: str
    model: GPT
    encode: Callable[[str], list[int]]
    vocab: TokenVocabulary
    prompt_of: Callable[[str], str] = lambda request: request
    max_new_tokens: int = 64

    def complete(self, request: str, schema: dict[str, Any] | None) -> str:
        """Greedy text for `request`, constrained to `schema` when one is given."""
        ids = self.encode(self.prompt_of(request))
        if schema is None:
            eos = self.vocab.eos_ids[0] if self.vocab.eos_ids else None
            out = generate_json(
                self.model, ids, None, self.max_new_tokens, vocab=self.vocab, eos_token_id=eos
            )
        else:
            c = JsonConstraint(schema, self.vocab)
            out = generate_json(self.model, ids, c, max(self.max_new_tokens, c.min_tokens()))
        return out.text


def score_item(item: Item, text: str, constrained: bool, tools: list[ToolSpec]) -> dict[str, float]:
    """Validity and correctness of one answer (1.0/0.0 flags, F1 in [0, 1])."""
    value = _parse(text, constrained)
    row = {"json_valid": float(value is not None)}
    if item.task == "tool choice":
        ok = value is not None and validate_call(value, tools) is None
        row["schema_valid"] = float(ok)
        row["exact_match"] = float(ok and value["name"] == item.gold["name"])
        row["f1"] = row["exact_match"]
        return row
    row["schema_valid"] = float(value is not None and _valid(value, item.schema))
    fields = list(item.gold)
    got = value if isinstance(value, dict) else {}
    row["exact_match"] = sum(exact_match(_s(got.get(f)), _s(item.gold[f])) for f in fields) / len(
        fields
    )
    row["f1"] = sum(token_f1(_s(got.get(f)), _s(item.gold[f])) for f in fields) / len(fields)
    return row


def evaluate(
    models: list[TextModel],
    items: list[Item],
    tools: list[ToolSpec],
    log: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """One row per (model, mode, task): mean of each metric over the task's items."""
    rows = []
    for m in models:
        caller = FunctionCaller(m.model, m.encode, m.vocab, tools)
        for constrained in (False, True):
            per_task: dict[str, list[dict[str, float]]] = {}
            for item in items:
                text = _answer(m, caller, item, constrained, tools)
                per_task.setdefault(item.task, []).append(
                    score_item(item, text, constrained, tools)
                )
                if log:
                    log(
                        f"{m.name} {'constrained' if constrained else 'free'} {item.task}: {text!r}"
                    )
            for task, scores in per_task.items():
                mean = {k: sum(s[k] for s in scores) / len(scores) for k in scores[0]}
                rows.append(
                    {
                        "model": m.name,
                        "mode": "constrained" if constrained else "free",
                        "task": task,
                        "n": len(scores),
                        **mean,
                    }
                )
    return rows


def to_markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a markdown table (rates in percent)."""
    head = "| model | mode | task | n | JSON valid | schema valid | exact match | F1 |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['mode']} | {r['task']} | {r['n']} "
            f"| {100 * r['json_valid']:.0f}% | {100 * r['schema_valid']:.0f}% "
            f"| {100 * r['exact_match']:.0f}% | {100 * r['f1']:.0f}% |"
        )
    return "\n".join(lines)


def _answer(
    m: TextModel, caller: FunctionCaller, item: Item, constrained: bool, tools: list[ToolSpec]
) -> str:
    if item.task != "tool choice":
        return m.complete(item.prompt, item.schema if constrained else None)
    request = _tool_request(tools, item.prompt)
    if not constrained:
        return m.complete(request, None)
    return caller.call(m.prompt_of(request), max_argument_tokens=m.max_new_tokens).text


def _tool_request(tools: list[ToolSpec], request: str) -> str:
    from .function_calling import tool_prompt_messages

    system, user = tool_prompt_messages(tools, request, TOOL_EXAMPLE)
    return system["content"] + "\n" + user["content"]


def _parse(text: str, constrained: bool) -> Any:
    if constrained:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return None
    return first_json_object(text)


def _valid(value: Any, schema: dict[str, Any]) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_s(v) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)
