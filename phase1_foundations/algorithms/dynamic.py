"""Dynamic programming: name the sub-problem, fill its table in dependency order."""

from __future__ import annotations

from bisect import bisect_left


def climb_stairs(n: int) -> int:
    """Ways to climb n steps taking 1 or 2 at a time (Fibonacci). O(n)."""
    a, b = 1, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def coin_change(coins: list[int], amount: int) -> int:
    """Fewest coins summing to amount (-1 if impossible). O(amount * len(coins))."""
    inf = amount + 1
    best = [0] + [inf] * amount
    for a in range(1, amount + 1):
        best[a] = min((best[a - c] + 1 for c in coins if c <= a), default=inf)
    return best[amount] if best[amount] < inf else -1


def coin_ways(coins: list[int], amount: int) -> int:
    """Number of multisets of coins summing to amount (coins outer: order ignored).
    O(amount * len(coins))."""
    ways = [1] + [0] * amount
    for c in coins:
        for a in range(c, amount + 1):
            ways[a] += ways[a - c]
    return ways[amount]


def lis_length(nums: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience piles). O(n log n)."""
    tails: list[int] = []  # tails[k]: smallest tail of an increasing run of length k + 1
    for x in nums:
        i = bisect_left(tails, x)
        tails[i : i + 1] = [x]
    return len(tails)


def lis_length_quadratic(nums: list[int]) -> int:
    """The same, by the O(n^2) table: best[i] = longest run ending at i."""
    best = [1] * len(nums)
    for i in range(len(nums)):
        for j in range(i):
            if nums[j] < nums[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence. O(len(a) * len(b))."""
    prev = [0] * (len(b) + 1)
    for ch in a:
        row = [0]
        for j, other in enumerate(b):
            row.append(prev[j] + 1 if ch == other else max(prev[j + 1], row[j]))
        prev = row
    return prev[-1]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, substitute cost 1). O(len(a) * len(b))."""
    prev = list(range(len(b) + 1))
    for i, ch in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ch != other)))
        prev = row
    return prev[-1]


def knapsack(weights: list[int], values: list[int], capacity: int) -> int:
    """Best total value of items within capacity, each used once. O(n * capacity)."""
    best = [0] * (capacity + 1)
    for w, v in zip(weights, values, strict=True):
        for c in range(capacity, w - 1, -1):  # downwards: each item counted once
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]


def rob(houses: list[int]) -> int:
    """Most money from houses with no two adjacent ones robbed. O(n)."""
    take, skip = 0, 0
    for h in houses:
        take, skip = skip + h, max(take, skip)
    return max(take, skip)


def unique_paths(rows: int, cols: int) -> int:
    """Monotone lattice paths from the top-left to the bottom-right corner. O(rows * cols)."""
    row = [1] * cols
    for _ in range(rows - 1):
        for c in range(1, cols):
            row[c] += row[c - 1]
    return row[-1]


def word_break(s: str, words: list[str]) -> bool:
    """Whether s splits into dictionary words. O(len(s)^2)."""
    vocab = set(words)
    ok = [True] + [False] * len(s)
    for end in range(1, len(s) + 1):
        ok[end] = any(ok[start] and s[start:end] in vocab for start in range(end))
    return ok[-1]


def max_product(nums: list[int]) -> int:
    """Largest product of a non-empty contiguous slice (track max and min). O(n)."""
    best = high = low = nums[0]
    for x in nums[1:]:
        high, low = max(x, high * x, low * x), min(x, high * x, low * x)
        best = max(best, high)
    return best


def can_partition(nums: list[int]) -> bool:
    """Whether non-negative nums split into two equal-sum halves (reachable subset sums kept
    as the bits of one integer). O(n * sum)."""
    total = sum(nums)
    if total % 2:
        return False
    reachable = 1  # bit s set: some subset sums to s
    for x in nums:
        reachable |= reachable << x
    return bool(reachable >> (total // 2) & 1)
