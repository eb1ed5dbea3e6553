"""Per-step token masks: which tokens keep the output a valid prefix, and within budget.

For an automaton state, `costs(state)` gives every token the fewest characters still needed
after it (a huge number when the token is rejected); EOS costs 0 in accepting states. It is
computed once per state by a depth-first walk of the vocabulary trie with early exit (a
rejected prefix prunes every token under it) and cached. A step allows the tokens whose cost
fits the tokens left, so a generation always closes its JSON before `max_new_tokens`
(provided single-character tokens exist, which byte-level vocabularies guarantee).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .automaton import JsonAutomaton
from .grammar import StringNode
from .vocab import TokenVocabulary

REJECTED = np.iinfo(np.int32).max


class DeadEndError(RuntimeError):
    """No token of the vocabulary can continue the output (the vocabulary lacks a character)."""


class TokenMasker:
    """Token-level view of a `JsonAutomaton` for one vocabulary, with a per-state cache."""

    def __init__(
        self, automaton: JsonAutomaton, vocab: TokenVocabulary, cache_size: int = 1024
    ) -> None:
        self.automaton, self.vocab = automaton, vocab
        self.cache_size = cache_size
        self._costs: OrderedDict[int, np.ndarray] = OrderedDict()
        self.cache_hits = self.cache_misses = 0
        self._plain: tuple[np.ndarray, np.ndarray, list[int]] | None = None

    def costs(self, state: int) -> np.ndarray:
        """int32 (vocab,): characters still needed after each token; REJECTED if not allowed."""
        cached = self._costs.get(state)
        if cached is not None:
            self._costs.move_to_end(state)
            self.cache_hits += 1
            return cached
        self.cache_misses += 1
        out = self._compute(state)
        self._costs[state] = out
        if len(self._costs) > self.cache_size:
            self._costs.popitem(last=False)
        return out

    def _compute(self, state: int) -> np.ndarray:
        top = self.automaton._stacks[state][-1] if self.automaton._stacks[state] else None
        if top is not None and isinstance(top[0], StringNode) and top[1] == 1:
            return self._inside_string(state, top)
        return self._walk_trie(state)

    def _inside_string(self, state: int, top: tuple) -> np.ndarray:
        """Fast path in a string body: a token of plain characters only moves the count on."""
        auto = self.automaton
        lengths, plain, special = self._plain_tables()
        node, _, count = top
        base = auto.min_chars(state)
        ok = plain if node.hi is None else plain & (lengths <= node.hi - count)
        # L plain characters shorten the body's remaining minimum by min(L, minLength - count)
        out = np.full(len(self.vocab), REJECTED, dtype=np.int32)
        out[ok] = base - np.minimum(lengths[ok], max(0, node.lo - count))
        for tid in special:  # a quote, backslash or control character: walk it exactly
            nxt = auto.walk(state, self.vocab.texts[tid])  # type: ignore[arg-type]
            if nxt is not None:
                out[tid] = auto.min_chars(nxt)
        if auto.is_accepting(state):
            for eos in self.vocab.eos_ids:
                out[eos] = 0
        return out

    def _plain_tables(self) -> tuple[np.ndarray, np.ndarray, list[int]]:
        # per token: its length, whether every character may appear raw in a string, and the
        # ids of the others (computed once per vocabulary)
        if self._plain is None:
            n = len(self.vocab)
            lengths, plain, special = np.zeros(n, np.int32), np.zeros(n, bool), []
            for tid, text in enumerate(self.vocab.texts):
                if not text or tid in self.vocab.eos_ids:
                    continue
                lengths[tid] = len(text)
                if any(ch in '"\\' or ch < " " for ch in text):
                    special.append(tid)
                else:
                    plain[tid] = True
            self._plain = (lengths, plain, special)
        return self._plain

    def _walk_trie(self, state: int) -> np.ndarray:
        auto, trie = self.automaton, self.vocab.trie
        memo, step, min_chars = auto._next, auto.step, auto.min_chars  # hot loop: locals
        out = np.full(len(self.vocab), REJECTED, dtype=np.int32)
        stack = [(0, state)]
        pop, push = stack.pop, stack.append
        while stack:
            node, sid = pop()
            children, ends = trie[node]
            if ends:
                cost = min_chars(sid)
                for tid in ends:
                    out[tid] = cost
            for ch, child in children.items():
                nxt = memo.get((sid, ch), -1)
                if nxt == -1:
                    nxt = step(sid, ch)
                if nxt is not None:
                    push((child, nxt))
        if auto.is_accepting(state):
            for eos in self.vocab.eos_ids:
                out[eos] = 0
        return out

    def allowed(self, state: int, tokens_left: int) -> np.ndarray:
        """Boolean mask of tokens allowed now when `tokens_left` more may follow this one."""
        mask = self.costs(state) <= tokens_left
        if not mask.any():
            raise DeadEndError(
                f"no token can continue from automaton state {state} with {tokens_left} tokens "
                "left: the vocabulary lacks a needed character or max_new_tokens is too small"
            )
        return mask

    def advance(self, state: int, token: int) -> int:
        """The automaton state after emitting `token` (which must be allowed)."""
        text = self.vocab.texts[token]
        nxt = self.automaton.walk(state, text) if text else None
        if nxt is None:
            raise ValueError(f"token {token} ({text!r}) is not allowed in state {state}")
        return nxt
