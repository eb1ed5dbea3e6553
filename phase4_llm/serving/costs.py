"""Cost control: tokens priced per model, spending tracked and capped per API key.

A request reserves its worst case (prompt + max_tokens at the model's prices) before it
runs, so concurrent requests cannot overspend a budget; when it finishes the reservation is
replaced by what it really cost. Example: prices 0.5 / 1.5 USD per 1k prompt / completion
tokens, 100 + 50 tokens -> 0.05 + 0.075 = 0.125 USD.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Price:
    """USD per 1,000 tokens."""

    prompt_per_1k: float = 0.0
    completion_per_1k: float = 0.0

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for the given token counts."""
        return (
            prompt_tokens * self.prompt_per_1k + completion_tokens * self.completion_per_1k
        ) / 1000.0


class BudgetExceeded(RuntimeError):
    """The key's budget cannot cover the request's worst-case cost."""


@dataclass
class KeyUsage:
    """Running totals for one API key."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    reserved_usd: float = 0.0


@dataclass
class BudgetLedger:
    """Per-key spending against per-key budgets (None: unlimited); thread-safe."""

    budgets_usd: dict[str, float] = field(default_factory=dict)
    default_budget_usd: float | None = None
    usage: dict[str, KeyUsage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def budget(self, key: str) -> float | None:
        """The key's budget in USD (None: unlimited)."""
        return self.budgets_usd.get(key, self.default_budget_usd)

    def reserve(self, key: str, worst_case_usd: float) -> None:
        """Hold `worst_case_usd` for a request; raise BudgetExceeded if it does not fit."""
        with self._lock:
            u = self.usage.setdefault(key, KeyUsage())
            budget = self.budget(key)
            if budget is not None and u.cost_usd + u.reserved_usd + worst_case_usd > budget:
                raise BudgetExceeded(
                    f"API key budget exhausted: spent {u.cost_usd:.6f} USD "
                    f"(+{u.reserved_usd:.6f} reserved by running requests) of {budget:.6f} USD; "
                    f"this request may cost up to {worst_case_usd:.6f} USD "
                    "(prompt + max_tokens); lower max_tokens or raise the budget"
                )
            u.reserved_usd += worst_case_usd

    def release(self, key: str, reserved_usd: float) -> None:
        """Drop a reservation of a request that never ran."""
        with self._lock:
            u = self.usage.setdefault(key, KeyUsage())
            u.reserved_usd = max(0.0, u.reserved_usd - reserved_usd)

    def settle(
        self,
        key: str,
        reserved_usd: float,
        price: Price,
        prompt_tokens: int,
        completion_tokens: int,
    ) -> float:
        """Replace a reservation by the actual cost; return that cost."""
        actual = price.cost(prompt_tokens, completion_tokens)
        with self._lock:
            u = self.usage.setdefault(key, KeyUsage())
            u.reserved_usd = max(0.0, u.reserved_usd - reserved_usd)
            u.requests += 1
            u.prompt_tokens += prompt_tokens
            u.completion_tokens += completion_tokens
            u.cost_usd += actual
        return actual
