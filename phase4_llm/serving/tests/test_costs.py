"""Prices and per-key budgets: worst-case reservation, settlement, refusal."""

from __future__ import annotations

import threading

import pytest

from phase4_llm.serving.costs import BudgetExceeded, BudgetLedger, Price


def test_price_is_per_thousand_tokens():
    assert Price(0.5, 1.5).cost(100, 50) == pytest.approx(0.125, rel=1e-12)


def test_reservation_is_replaced_by_the_actual_cost():
    ledger = BudgetLedger({"k": 1.0})
    price = Price(1.0, 2.0)
    ledger.reserve("k", price.cost(100, 200))
    assert ledger.usage["k"].reserved_usd == pytest.approx(0.5)
    assert ledger.settle("k", 0.5, price, 100, 50) == pytest.approx(0.2)
    u = ledger.usage["k"]
    assert (u.reserved_usd, u.cost_usd, u.requests, u.completion_tokens) == (0.0, 0.2, 1, 50)


def test_a_key_over_budget_is_refused_with_a_clear_message():
    ledger = BudgetLedger({"k": 0.1}, default_budget_usd=None)
    ledger.reserve("k", 0.08)
    with pytest.raises(BudgetExceeded, match=r"budget exhausted.*lower max_tokens"):
        ledger.reserve("k", 0.05)
    ledger.reserve("someone-else", 1e9)  # no budget: unlimited


def test_concurrent_reservations_never_overspend():
    ledger = BudgetLedger(default_budget_usd=1.0)
    accepted = []

    def worker() -> None:
        for _ in range(50):
            try:
                ledger.reserve("k", 0.03)
                accepted.append(1)
            except BudgetExceeded:
                pass

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(accepted) == 33  # floor(1.0 / 0.03)
