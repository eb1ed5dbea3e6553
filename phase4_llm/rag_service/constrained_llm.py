"""SmolLM2 answering in a fixed JSON schema, `{"answer": ..., "citations": [n, ...]}`, with
citations limited to the passages it was given: constrained decoding with the project's
engine (`phase4_llm.common.constrained`), greedy, one token mask per step.

Free-running, the 135M model never wrote a valid `[n]` citation on the natural questions, so
every answer fell back to the extractive one. Under the mask it cannot produce anything but
an instance of the schema; it can still fail (token budget spent before the object closes,
an empty answer), and only then does the pipeline fall back to the extractive answer.
"""

from __future__ import annotations

import json
import time
from typing import Any

from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.common.constrained.masking import DeadEndError, TokenMasker
from phase4_llm.common.constrained.vocab import TokenVocabulary
from phase4_llm.rag_service.generators import SYSTEM_PROMPT, Generated, parse_generated

ANSWER_CHARS = 80  # a short answer: a name, a figure, a date or a short phrase
FORMAT_HINT = (
    'Reply with JSON only: {"answer": "<the short answer, a few words copied from a passage>", '
    '"citations": [<numbers of the passages that state it>]}'
)


def answer_schema(n_contexts: int) -> dict[str, Any]:
    """The answer format for `n_contexts` passages: citations are passage numbers 1..n."""
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "minLength": 1, "maxLength": ANSWER_CHARS},
            "citations": {
                "type": "array",
                "items": {"enum": list(range(1, n_contexts + 1))},
                "minItems": 1,
                "maxItems": min(n_contexts, 3),
            },
        },
        "required": ["answer", "citations"],
    }


def to_generated(text: str, n_contexts: int) -> Generated:
    """The model's JSON as a `Generated`: answer text with its `[n]` marks, the short answer,
    and the cited numbers; nothing cited (a fallback) when it does not parse or is empty."""
    try:
        obj = json.loads(text)
        answer = str(obj["answer"]).strip()
        cited = sorted({int(n) for n in obj["citations"] if 1 <= int(n) <= n_contexts})
    except (ValueError, KeyError, TypeError):
        return Generated("", [], extra={"constraint": "unparsable"})
    if not answer or not cited:
        return Generated("", [], extra={"constraint": "empty"})
    gen = parse_generated(answer + " " + "".join(f"[{n}]" for n in cited), n_contexts)
    gen.short_answer = answer
    return gen


class ConstrainedSmolLM2Generator:
    """SmolLM2-135M-Instruct (the packaged GGUF, run by transformers) decoding the answer
    schema greedily under the token mask."""

    name = "smollm2_json"

    def __init__(self, max_new_tokens: int = 48) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from phase4_llm.common.assets import smollm2_gguf_path

        path = smollm2_gguf_path()
        self.tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        self.model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
        self.model.eval()
        self.vocab = TokenVocabulary.from_hf_tokenizer(self.tokenizer)
        self.max_new_tokens = max_new_tokens
        self._maskers: dict[int, TokenMasker] = {}  # one automaton per number of passages

    def _masker(self, n_contexts: int) -> TokenMasker:
        if n_contexts not in self._maskers:
            auto = JsonAutomaton(answer_schema(n_contexts))
            self._maskers[n_contexts] = TokenMasker(auto, self.vocab)
        return self._maskers[n_contexts]

    def prompt_ids(self, query: str, contexts: list[str]) -> list[int]:
        """The chat prompt: system rules, passages as data, the question, the format."""
        passages = "\n".join(f"[{n}] {ctx}" for n, ctx in enumerate(contexts, start=1))
        user = f"<passages>\n{passages}\n</passages>\nQuestion: {query}\n{FORMAT_HINT}"
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
        ]
        text = self.tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True
        )
        return list(self.tokenizer(text)["input_ids"])

    def decode(self, prompt: list[int], n_contexts: int) -> tuple[str, bool, float]:
        """Greedy constrained decoding: (JSON text, accepted by the automaton, mask seconds)."""
        import torch

        masker = self._masker(n_contexts)
        auto = masker.automaton
        state, tokens, mask_s = auto.initial, [], 0.0
        eos = set(self.vocab.eos_ids)
        ids = torch.tensor([prompt])
        past = None
        with torch.no_grad():
            for step in range(self.max_new_tokens):
                out = self.model(input_ids=ids, past_key_values=past, use_cache=True)
                past = out.past_key_values
                logits = out.logits[0, -1].float()
                t0 = time.perf_counter()
                allowed = masker.allowed(state, self.max_new_tokens - step - 1)
                mask = torch.zeros(logits.shape[0], dtype=torch.bool)
                width = min(len(allowed), logits.shape[0])
                mask[:width] = torch.from_numpy(allowed[:width])
                mask_s += time.perf_counter() - t0
                token = int(logits.masked_fill(~mask, float("-inf")).argmax())
                if token in eos:
                    break
                tokens.append(token)
                state = masker.advance(state, token)
                if auto.is_closed(state):
                    break
                ids = torch.tensor([[token]])
        text = "".join(self.vocab.texts[t] or "" for t in tokens)
        return text, auto.is_accepting(state), mask_s

    def generate(self, query: str, contexts: list[str]) -> Generated:
        if not contexts:
            return Generated("", [])
        try:
            text, accepted, mask_s = self.decode(self.prompt_ids(query, contexts), len(contexts))
        except DeadEndError:
            return Generated("", [], extra={"constraint": "dead end"})
        if not accepted:
            return Generated("", [], extra={"constraint": "budget", "raw": text})
        gen = to_generated(text, len(contexts))
        gen.extra.update({"raw": text, "mask_s": mask_s})
        return gen
