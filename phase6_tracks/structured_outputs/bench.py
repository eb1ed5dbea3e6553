"""Benchmarks: constrained vs unconstrained generation (same model, same budget), and the
per-token mask computation over SmolLM2's 49,152-token vocabulary (ours vs per-token walk).
"""

from __future__ import annotations

import time

import numpy as np
import torch

from phase0_env.common.bench import BenchRow, compare, sizes


def run(quick: bool = False) -> list[BenchRow]:
    vocab, bpe = smollm2_vocabulary()
    return generation_rows(vocab, bpe, quick) + mask_rows(vocab, quick)


def smollm2_vocabulary():
    """SmolLM2's tokenizer (phase 4's BPE, read from the packaged GGUF) as a TokenVocabulary."""
    from phase4_llm.common.assets import smollm2_gguf_path
    from phase4_llm.common.constrained.vocab import TokenVocabulary
    from phase4_llm.tokenizer.formats import from_gguf

    bpe = from_gguf(smollm2_gguf_path())
    return TokenVocabulary.from_bpe(bpe, eos_ids=[bpe.special_tokens_["<|im_end|>"]]), bpe


def generation_rows(vocab, bpe, quick: bool) -> list[BenchRow]:
    """Time to generate N tokens with a random GPT over 49k tokens: constrained vs free."""
    from phase4_llm.gpt.config import GPTConfig
    from phase4_llm.gpt.model import GPT

    from .decoding import JsonConstraint, generate_json

    torch.manual_seed(0)
    model = GPT(
        GPTConfig(vocab_size=len(vocab), block_size=512, n_layer=2, n_head=4, n_embd=64)
    ).eval()
    prompt = bpe.encode("Numbers as JSON:")
    rows = []
    for n in sizes(quick, full=(32, 64, 128), small=(16, 32, 64)):
        # exactly n/2 integers: the output cannot close early, so it is about n tokens long
        schema = {
            "type": "array",
            "items": {"type": "integer"},
            "minItems": n // 2,
            "maxItems": n // 2,
        }
        stats: dict[str, float] = {}

        def ours(schema: dict = schema, stats: dict = stats) -> None:
            c = JsonConstraint(schema, vocab)  # a cold mask cache each run: the worst case
            g = generate_json(model, prompt, c, c.min_tokens() + 8, do_sample=True, seed=0)
            stats.update(tokens=len(g.tokens), mask_s=g.mask_seconds, complete=g.complete)

        ours()
        n_tokens = int(stats["tokens"])

        def ref(n_tokens: int = n_tokens) -> None:  # the same number of forward passes
            generate_json(model, prompt, None, n_tokens, vocab=vocab, do_sample=True, seed=0)

        row = compare(
            "constrained vs free generation",
            n_tokens,
            ours,
            ref,
            reference="same model, unconstrained",
            repeats=3,
        )
        row.quality = {
            "valid JSON": bool(stats["complete"]),
            "mask ms/token": 1e3 * stats["mask_s"] / max(1, n_tokens),
            "free ms/token": 1e3 * (row.ref_s or 0.0) / max(1, n_tokens),
        }
        rows.append(row)
    return rows


def mask_rows(vocab, quick: bool) -> list[BenchRow]:
    """Cold masks for N states of a PERSON prefix (mostly inside strings): ours (string fast
    path, trie walk elsewhere) vs walking every token's characters."""
    from phase4_llm.common.constrained.automaton import JsonAutomaton
    from phase4_llm.common.constrained.masking import TokenMasker

    from .samples import PERSON

    auto = JsonAutomaton(PERSON)
    prefix = '{"name": "Ada Lovelace", "age": 36, "email": "ada@math.org", "tags": ["math", "x'
    states = []
    state = auto.initial
    for ch in prefix:
        states.append(state)
        nxt = auto.step(state, ch)
        if nxt is None:
            raise ValueError(f"bench prefix is not a valid PERSON prefix at {ch!r}")
        state = nxt
    rows = []
    for n in sizes(quick, full=(8, 16, 32), small=(4, 8, 16)):
        picked = states[:: max(1, len(states) // n)][:n]

        def ours(picked=picked) -> None:
            masker = TokenMasker(auto, vocab)
            for s in picked:
                masker.costs(s)

        def ref(picked=picked) -> None:
            for s in picked:
                naive_costs(auto, vocab, s)

        agree = all(
            np.array_equal(TokenMasker(auto, vocab).costs(s), naive_costs(auto, vocab, s))
            for s in picked
        )
        row = compare(
            "mask, 49k vocab (cold, per state)",
            n,
            ours,
            ref,
            reference="per-token walk",
            repeats=3,
        )
        row.quality = {"ms/state": 1e3 * row.ours_s / n, "masks equal": agree}
        rows.append(row)
    return rows


def naive_costs(auto, vocab, state: int) -> np.ndarray:
    """The mask the plain way: walk each token's characters from `state`, stopping at a reject."""
    from phase4_llm.common.constrained.masking import REJECTED

    out = np.full(len(vocab), REJECTED, dtype=np.int32)
    for tid, text in enumerate(vocab.texts):
        if not text or tid in vocab.eos_ids:
            continue
        s = auto.walk(state, text)
        if s is not None:
            out[tid] = auto.min_chars(s)
    if auto.is_accepting(state):
        for e in vocab.eos_ids:
            out[e] = 0
    return out


if __name__ == "__main__":  # pragma: no cover
    from phase0_env.common.bench import format_rows

    t = time.time()
    print(format_rows(run(quick=True)))
    print(f"{time.time() - t:.1f} s")
