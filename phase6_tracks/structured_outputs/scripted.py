"""A GPT that strongly prefers a given continuation: greedy decoding reproduces a script.

Used by parity checks: when the unconstrained greedy output is already a valid instance, the
constrained greedy output must be the very same tokens (the mask never removes the argmax).
"""

from __future__ import annotations

import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.kv_cache import KVCache
from phase4_llm.gpt.model import GPT


class ScriptedGPT(GPT):
    """Random GPT weights plus `bonus` on token script[p + 1] at every absolute position p."""

    def __init__(self, config: GPTConfig, script: list[int], bonus: float = 20.0) -> None:
        super().__init__(config)
        self.script, self.bonus = list(script), bonus

    def forward(  # type: ignore[override]
        self, idx: torch.Tensor, targets: torch.Tensor | None = None, cache: KVCache | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        past = cache.length if cache is not None else 0
        logits, loss = super().forward(idx, targets, cache)
        for i in range(idx.shape[1]):
            nxt = past + i + 1
            if nxt < len(self.script):
                logits[:, i, self.script[nxt]] += self.bonus
        return logits, loss
