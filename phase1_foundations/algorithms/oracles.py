"""Slow but obviously right answers: brute force over every choice, or a library.

Each oracle takes the same arguments as the problem it checks. They are only for checking:
quadratic or exponential on purpose, run on small inputs.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections import Counter


def two_sum(nums: list[int], target: int) -> tuple[int, int] | None:
    pairs = [(i, j) for j in range(len(nums)) for i in range(j) if nums[i] + nums[j] == target]
    return min(pairs, key=lambda p: (p[1], p[0])) if pairs else None


def max_subarray(nums: list[int]) -> int:
    return max(sum(nums[i:j]) for i in range(len(nums)) for j in range(i + 1, len(nums) + 1))


def product_except_self(nums: list[int]) -> list[int]:
    return [math.prod(nums[:i] + nums[i + 1 :]) for i in range(len(nums))]


def max_profit(prices: list[int]) -> int:
    return max(
        [0] + [prices[j] - prices[i] for i in range(len(prices)) for j in range(i, len(prices))]
    )


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    covered = sorted({x for a, b in intervals for x in range(2 * a, 2 * b + 1)})
    out: list[tuple[int, int]] = []  # on doubled coordinates touching intervals stay joined
    for x in covered:
        if out and x == out[-1][1] + 1:
            out[-1] = (out[-1][0], x)
        else:
            out.append((x, x))
    return [(a // 2, b // 2) for a, b in out]


def majority_element(nums: list[int]) -> int | None:
    return next((v for v, c in Counter(nums).items() if 2 * c > len(nums)), None)


def subarray_sum_count(nums: list[int], k: int) -> int:
    n = len(nums)
    return sum(sum(nums[i:j]) == k for i in range(n) for j in range(i + 1, n + 1))


def rotate(nums: list[int], k: int) -> list[int]:
    n = len(nums)
    return [nums[(i - k) % n] for i in range(n)] if n else []


def longest_consecutive(nums: list[int]) -> int:
    values = set(nums)
    return max((length for x in values for length in [_run(values, x)]), default=0)


def _run(values: set[int], x: int) -> int:
    n = 0
    while x + n in values:
        n += 1
    return n


def group_anagrams(words: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for w in words:
        for g in groups:
            if Counter(g[0]) == Counter(w):
                g.append(w)
                break
        else:
            groups.append([w])
    return groups


def is_palindrome(s: str) -> bool:
    kept = [c.lower() for c in s if c.isalnum()]
    return kept == kept[::-1]


def valid_brackets(s: str) -> bool:
    s = "".join(c for c in s if c in "()[]{}")
    while any(p in s for p in ("()", "[]", "{}")):
        s = s.replace("()", "").replace("[]", "").replace("{}", "")
    return not s


def longest_common_prefix(words: list[str]) -> str:
    columns = zip(*words, strict=False)
    return "".join(c[0] for c in itertools.takewhile(lambda t: len(set(t)) == 1, columns))


def longest_palindrome(s: str) -> str:
    subs = [s[i:j] for i in range(len(s)) for j in range(i + 1, len(s) + 1)]
    pals = [t for t in subs if t == t[::-1]]
    return max(pals, key=len) if pals else ""  # max keeps the first (leftmost) of equal length


def find_all(text: str, pattern: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(pattern)})", text)]


def compress(s: str) -> str:
    return "".join(f"{ch}{len(list(g))}" for ch, g in itertools.groupby(s))


def three_sum(nums: list[int]) -> list[tuple[int, int, int]]:
    return sorted({tuple(sorted(t)) for t in itertools.combinations(nums, 3) if sum(t) == 0})  # type: ignore[misc]


def max_water(heights: list[int]) -> int:
    n = len(heights)
    return max(
        [0] + [(j - i) * min(heights[i], heights[j]) for i in range(n) for j in range(i + 1, n)]
    )


def trap_rain(heights: list[int]) -> int:
    return sum(
        max(0, min(max(heights[: i + 1]), max(heights[i:])) - h) for i, h in enumerate(heights)
    )


def longest_unique_substring(s: str) -> int:
    n = len(s)
    return max(
        [0] + [j - i for i in range(n) for j in range(i + 1, n + 1) if len(set(s[i:j])) == j - i]
    )


def min_window(s: str, t: str) -> str:
    if not t:
        return ""
    need = Counter(t)
    fits = [
        s[i:j]
        for i in range(len(s))
        for j in range(i + 1, len(s) + 1)
        if not need - Counter(s[i:j])
    ]
    return min(fits, key=len) if fits else ""  # min keeps the leftmost of equal length


def sliding_max(nums: list[int], k: int) -> list[int]:
    return [max(nums[i : i + k]) for i in range(len(nums) - k + 1)]


def min_subarray_len(target: int, nums: list[int]) -> int:
    n = len(nums)
    lengths = [j - i for i in range(n) for j in range(i + 1, n + 1) if sum(nums[i:j]) >= target]
    return min(lengths, default=0)


def char_replacement(s: str, k: int) -> int:
    n = len(s)
    return max(
        [0]
        + [
            j - i
            for i in range(n)
            for j in range(i + 1, n + 1)
            if (j - i) - max(Counter(s[i:j]).values()) <= k
        ]
    )


def kth_smallest(nums: list[int], k: int) -> int:
    return sorted(nums)[k - 1]


def kth_largest(nums: list[int], k: int) -> int:
    return heapq.nlargest(k, nums)[-1]


def merge_sorted(lists: list[list[int]]) -> list[int]:
    return list(heapq.merge(*lists))


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    counts = Counter(nums)
    return sorted(counts, key=lambda v: (-counts[v], v))[:k]


def running_median(stream: list[int]) -> list[float]:
    out = []
    for i in range(1, len(stream) + 1):
        s = sorted(stream[:i])
        out.append(float(s[i // 2]) if i % 2 else (s[i // 2 - 1] + s[i // 2]) / 2)
    return out


def daily_temperatures(temps: list[int]) -> list[int]:
    return [
        next((j - i for j in range(i + 1, len(temps)) if temps[j] > t), 0)
        for i, t in enumerate(temps)
    ]


def largest_rectangle(heights: list[int]) -> int:
    n = len(heights)
    return max([0] + [min(heights[i:j]) * (j - i) for i in range(n) for j in range(i + 1, n + 1)])


def search_rotated(nums: list[int], x: int) -> int:
    return nums.index(x) if x in nums else -1


def lower_bound(nums: list[int], x: int) -> int:
    return bisect.bisect_left(nums, x)


def upper_bound(nums: list[int], x: int) -> int:
    return bisect.bisect_right(nums, x)


def lis_length(nums: list[int]) -> int:
    return max(
        (
            r
            for r in range(len(nums), 0, -1)
            for c in itertools.combinations(nums, r)
            if all(a < b for a, b in itertools.pairwise(c))
        ),
        default=0,
    )


def lcs_length(a: str, b: str) -> int:
    subs = {"".join(c) for r in range(len(a) + 1) for c in itertools.combinations(a, r)}
    return max(len(t) for t in subs if _is_subsequence(t, b))


def _is_subsequence(t: str, s: str) -> bool:
    it = iter(s)
    return all(ch in it for ch in t)


def knapsack(weights: list[int], values: list[int], capacity: int) -> int:
    n = len(weights)
    return max(
        sum(values[i] for i in chosen)
        for r in range(n + 1)
        for chosen in itertools.combinations(range(n), r)
        if sum(weights[i] for i in chosen) <= capacity
    )


def rob(houses: list[int]) -> int:
    n = len(houses)
    return max(
        sum(houses[i] for i in chosen)
        for r in range(n + 1)
        for chosen in itertools.combinations(range(n), r)
        if all(b - a > 1 for a, b in itertools.pairwise(chosen))
    )


def coin_change(coins: list[int], amount: int) -> int:
    for count in range(amount + 1):
        if any(sum(c) == amount for c in itertools.combinations_with_replacement(coins, count)):
            return count
    return -1


def coin_ways(coins: list[int], amount: int) -> int:
    coins = sorted(set(coins))
    return sum(
        1
        for count in range(amount + 1)
        for c in itertools.combinations_with_replacement(coins, count)
        if sum(c) == amount
    )


def word_break(s: str, words: list[str]) -> bool:
    if not s:
        return True
    return any(s.startswith(w) and word_break(s[len(w) :], words) for w in set(words) if w)


def max_product(nums: list[int]) -> int:
    n = len(nums)
    return max(math.prod(nums[i:j]) for i in range(n) for j in range(i + 1, n + 1))


def can_partition(nums: list[int]) -> bool:
    total = sum(nums)
    return any(
        2 * sum(c) == total for r in range(len(nums) + 1) for c in itertools.combinations(nums, r)
    )
