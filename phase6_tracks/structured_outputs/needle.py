"""Needle in a haystack for a tiny rotary GPT: train at a short length, test at 2-4x that length.

A sequence is random filler tokens with one needle `# v` (marker, then a value digit) somewhere
and the query `?` last; the model must answer v at the query. Training uses one length; the
evaluation moves the needle through sequences 2-4x longer, with the base model's RoPE
extrapolated as is ("none") or rescaled by `ScaledRoPEGPT` ("linear", "ntk").
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from phase0_env.common.seeding import seed_everything
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT

from .long_context import ScaledRoPEGPT, Scaling

N_VALUES, N_FILLER = 10, 20
MARKER, QUERY = N_VALUES + N_FILLER, N_VALUES + N_FILLER + 1
VOCAB = QUERY + 1


def make_batch(
    n: int, length: int, gen: torch.Generator, needle_at: int | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(ids (n, length), answers (n,), needle positions (n,)); the query is the last token."""
    if length < 4:
        raise ValueError(f"length must be >= 4, got {length}")
    ids = torch.randint(N_VALUES, N_VALUES + N_FILLER, (n, length), generator=gen)
    values = torch.randint(0, N_VALUES, (n,), generator=gen)
    if needle_at is None:
        pos = torch.randint(0, length - 2, (n,), generator=gen)
    else:
        pos = torch.full((n,), min(needle_at, length - 3))
    rows = torch.arange(n)
    ids[rows, pos] = MARKER
    ids[rows, pos + 1] = values
    ids[:, -1] = QUERY
    return ids, values, pos


@dataclass
class RetrievalRun:
    """A trained retriever and how its training went."""

    model: GPT
    train_length: int
    losses: list[float]


def tiny_config(train_length: int) -> GPTConfig:
    """The small Llama-style model the task trains (two layers: find the marker, copy the next)."""
    return GPTConfig.llama(
        vocab_size=VOCAB, block_size=train_length, n_layer=2, n_head=4, n_embd=64
    )


def train_retriever(
    train_length: int = 32,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
) -> RetrievalRun:
    """Train `tiny_config` on needles at `train_length` (loss on the answer only)."""
    seed_everything(seed)
    model = GPT(tiny_config(train_length))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    model.train()
    for step in range(steps):
        for group in opt.param_groups:  # linear warmup then constant: enough for a toy task
            group["lr"] = lr * min(1.0, (step + 1) / 50)
        ids, answers, _ = make_batch(batch_size, train_length, gen)
        logits, _ = model(ids)
        loss = F.cross_entropy(logits[:, -1, :], answers)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return RetrievalRun(model.eval(), train_length, losses)


@torch.no_grad()
def accuracy(
    model: GPT, length: int, n: int = 200, seed: int = 1, needle_at: int | None = None
) -> float:
    """Share of sequences of `length` whose answer is read correctly at the query."""
    gen = torch.Generator().manual_seed(seed)
    ids, answers, _ = make_batch(n, length, gen, needle_at)
    logits, _ = model(ids)
    return float((logits[:, -1, :].argmax(-1) == answers).float().mean())


def scaled(run: RetrievalRun, kind: Scaling, factor: float) -> GPT:
    """The trained model with its block size times `factor` and the given RoPE scaling."""
    return ScaledRoPEGPT.from_base(run.model, kind, factor).eval()


def accuracy_table(
    run: RetrievalRun,
    multiples: tuple[int, ...] = (1, 2, 4),
    n: int = 200,
    n_positions: int = 4,
) -> list[dict[str, object]]:
    """Accuracy by length (x train length), needle position (quartiles) and RoPE scaling."""
    rows = []
    for mult in multiples:
        length = run.train_length * mult
        for kind in ("none", "linear", "ntk"):
            model = scaled(run, kind, float(mult)) if mult > 1 or kind != "none" else run.model
            at = [int(q * (length - 3) / max(1, n_positions - 1)) for q in range(n_positions)]
            by_pos = {p: accuracy(model, length, n, seed=7 + p, needle_at=p) for p in at}
            rows.append(
                {
                    "length": length,
                    "multiple": mult,
                    "scaling": kind,
                    "accuracy": accuracy(model, length, n),
                    "by_position": by_pos,
                }
            )
    return rows
