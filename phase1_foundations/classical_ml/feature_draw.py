"""The order in which scikit-learn's BestSplitter visits features, reproduced draw for draw.

scikit-learn does not scan features 0..d-1: each node draws them one at a time, without
replacement, with a 32-bit xorshift generator (`our_rand_r`) seeded once per tree by
`random_state.randint(0, 2**31 - 1)`. The draw is a Fisher-Yates shuffle of one `features`
array shared by all nodes (so a node's order depends on every node split before it), which
also parks features found constant at a node so that its descendants never draw them again.
Since the first strict maximum wins, this order breaks exact ties between splits; replaying
it makes our tree scikit-learn's for any `random_state`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

RAND_R_MAX = 0x7FFFFFFF  # scikit-learn's bound for seeds and draws (2^31 - 1)
DEFAULT_SEED = 1  # xorshift is stuck at 0, so a zero state restarts from here
MASK32 = 0xFFFFFFFF


def check_random_state(seed: Any) -> np.random.RandomState:
    """scikit-learn's rule: None is NumPy's global RandomState, an int seeds a new one."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"random_state must be None, an int or a numpy RandomState, got {seed!r}")


class FeatureDraw:
    """The `features` / `constant_features` arrays and generator state of one tree's splitter."""

    def __init__(self, n_features: int, random_state: Any) -> None:
        self.state = int(check_random_state(random_state).randint(0, RAND_R_MAX))
        self.features = list(range(n_features))
        self.constant_features = [0] * n_features

    def rand_int(self, low: int, high: int) -> int:
        """A draw in [low, high): `low + our_rand_r() % (high - low)`, as scikit-learn's.

        `our_rand_r` is a 32-bit xorshift (13, 17, 5); from state 1 its first value is 270369.
        """
        s = self.state or DEFAULT_SEED
        s ^= (s << 13) & MASK32
        s ^= s >> 17
        s ^= (s << 5) & MASK32
        self.state = s
        return low + (s % (RAND_R_MAX + 1)) % (high - low)

    def visit(
        self, is_constant: np.ndarray, n_known: int, max_features: int
    ) -> tuple[list[int], int]:
        """The features a node sorts, in draw order, and its count of constants.

        Features found constant here are listed too (scikit-learn sorts them before it sees
        that they are constant, which can move samples); known constants are not.

        `is_constant[f]` says whether feature f is constant on this node's rows; `n_known`
        is the parent's count of constants (they sit at the front of `features`).
        Example: a fresh `FeatureDraw(3, 0)` with nothing constant, `visit(no, 0, 3)` gives
        `([1, 0, 2], 0)`: scikit-learn's root of `random_state=0` tries feature 1 first.
        """
        features, n_features = self.features, len(self.features)
        constant = is_constant.tolist()  # Python bools: indexing them is cheaper per draw
        f_i, n_visited, n_found, n_drawn = n_features, 0, 0, 0
        n_total = n_known
        state = self.state
        order: list[int] = []
        # Loop invariant (scikit-learn's): features[:n_drawn] drawn known constants,
        # [n_drawn:n_known] undrawn known constants, [n_known:n_total] constants found here,
        # [n_total:f_i] not drawn yet, [f_i:] drawn and not constant.
        while f_i > n_total and (
            n_visited < max_features or n_visited <= n_found + n_drawn  # one non-constant
        ):
            n_visited += 1
            # rand_int(n_drawn, f_i - n_found), inlined: this loop runs once per feature per node
            state = state or DEFAULT_SEED
            state ^= (state << 13) & MASK32
            state ^= state >> 17
            state ^= (state << 5) & MASK32
            f_j = n_drawn + (state % (RAND_R_MAX + 1)) % (f_i - n_found - n_drawn)
            if f_j < n_known:
                features[n_drawn], features[f_j] = features[f_j], features[n_drawn]
                n_drawn += 1
                continue
            f_j += n_found
            f = features[f_j]
            order.append(f)
            if constant[f]:
                features[f_j], features[n_total] = features[n_total], f
                n_found += 1
                n_total += 1
                continue
            f_i -= 1
            features[f_i], features[f_j] = f, features[f_i]
        self.state = state
        # Known constants go back in their original order (siblings and children rely on it);
        # the ones found here are recorded for this node's descendants.
        features[:n_known] = self.constant_features[:n_known]
        self.constant_features[n_known:n_total] = features[n_known:n_total]
        return order, n_total
