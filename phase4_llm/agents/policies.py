"""Policies behind the agent loop: scripted (tests), an OpenAI-compatible endpoint, SmolLM2."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from phase4_llm.agents.agent import Final, ToolCall

Step = ToolCall | Final | Callable[[list[dict[str, str]]], ToolCall | Final]


@dataclass
class ScriptedPolicy:
    """Plays back a fixed list of actions (or functions of the messages), then gives up."""

    steps: Sequence[Step]
    _i: int = 0

    def next_action(
        self, messages: list[dict[str, str]], tools: list[dict[str, Any]]
    ) -> ToolCall | Final:
        if self._i >= len(self.steps):
            return Final("I could not finish the task.")
        step = self.steps[self._i]
        self._i += 1
        return step(messages) if callable(step) else step


def parse_action(text: str) -> ToolCall | Final:
    """Read a model's reply: a JSON object {"tool": ..., "arguments": {...}} or a final answer.

    Anything that is not such an object is taken as the final answer, so a model that cannot
    call tools still ends the run instead of looping.
    """
    match = re.search(r"\{.*\}", text, flags=re.S)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("tool"), str):
            args = data.get("arguments", {})
            return ToolCall(data["tool"], args if isinstance(args, dict) else {"value": args})
        if isinstance(data, dict) and isinstance(data.get("final"), str):
            return Final(data["final"])
    return Final(text.strip())


@dataclass
class OpenAICompatiblePolicy:
    """Asks a `/v1/chat/completions` server (vLLM, TGI, llama.cpp, ...) for each action."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 30.0
    extra: dict[str, Any] = field(default_factory=dict)

    def next_action(
        self, messages: list[dict[str, str]], tools: list[dict[str, Any]]
    ) -> ToolCall | Final:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "messages": _fold_tool_messages(messages),
            "tools": tools,
            "temperature": 0,
            **self.extra,
        }
        reply = httpx.post(
            f"{self.base_url.rstrip('/')}/v1/chat/completions",
            json=body,
            headers=headers,
            timeout=self.timeout_s,
        )
        reply.raise_for_status()
        message = reply.json()["choices"][0]["message"]
        calls = message.get("tool_calls") or []
        if calls:
            fn = calls[0]["function"]
            try:
                args = json.loads(fn.get("arguments") or "{}")
            except json.JSONDecodeError:
                args = {"_unparsed": fn.get("arguments")}
            return ToolCall(fn["name"], args if isinstance(args, dict) else {"value": args})
        return parse_action(message.get("content") or "")


@dataclass
class LocalModelPolicy:
    """Runs a local causal LM (the packaged SmolLM2-135M-Instruct by default) greedily."""

    model_dir: str
    gguf_file: str | None = None
    max_new_tokens: int = 96
    _model: Any = None
    _tokenizer: Any = None

    def next_action(
        self, messages: list[dict[str, str]], tools: list[dict[str, Any]]
    ) -> ToolCall | Final:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if self._model is None:
            kwargs = {"gguf_file": self.gguf_file} if self.gguf_file else {}
            self._tokenizer = AutoTokenizer.from_pretrained(self.model_dir, **kwargs)
            self._model = AutoModelForCausalLM.from_pretrained(self.model_dir, **kwargs).eval()
        names = ", ".join(t["function"]["name"] for t in tools)
        guide = (
            f'Tools: {names}. Reply with JSON {{"tool": name, "arguments": {{...}}}} '
            'to call one, or {"final": answer} to answer.'
        )
        chat = [
            {"role": "system", "content": messages[0]["content"] + " " + guide},
            *_fold_tool_messages(messages[1:]),
        ]
        ids = self._tokenizer.apply_chat_template(
            chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        ids = ids["input_ids"]
        with torch.no_grad():
            out = self._model.generate(ids, max_new_tokens=self.max_new_tokens, do_sample=False)
        return parse_action(
            self._tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)
        )


def _fold_tool_messages(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Servers without tool-call ids get tool results as user messages (clearly quoted)."""
    return [
        {"role": "user", "content": m["content"]} if m["role"] == "tool" else m for m in messages
    ]
