"""Every problem with its category, stated complexity, input generator and oracle.

`gen(rng)` draws one small input (a tuple of arguments) from a `random.Random`; the same
generators feed the hypothesis tests (hypothesis drives the Random) and the seeded parity
checks. `check(problem, rng)` returns None on agreement or a message naming the input.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from . import arrays, dynamic, searching, stacks_heaps, strings, windows
from . import oracles as o
from .graph_oracles import GRAPH_PROBLEMS
from .problem import Problem, ints, word
from .tree_oracles import TREE_PROBLEMS


def _rotated(rng: random.Random) -> tuple[list[int], int]:
    values = sorted(rng.sample(range(-20, 20), rng.randint(1, 9)))
    k = rng.randrange(len(values))
    return values[k:] + values[:k], rng.randint(-21, 21)


def _peak(rng: random.Random) -> tuple[list[int]]:
    values = rng.sample(range(50), rng.randint(1, 9))  # distinct: neighbours always differ
    return (values,)


def _matrix(rng: random.Random) -> tuple[list[list[int]], int]:
    r, c = rng.randint(1, 4), rng.randint(1, 4)
    flat = sorted(rng.randint(-9, 9) for _ in range(r * c))
    return [flat[i * c : (i + 1) * c] for i in range(r)], rng.randint(-10, 10)


def _min_stack_ops(rng: random.Random) -> tuple[list[int]]:
    return (ints(rng, n_min=1, n_max=12),)


def _run_min_stack(values: list[int]) -> list[int]:
    stack = stacks_heaps.MinStack()
    seen = []
    for i, x in enumerate(values):
        stack.push(x)
        seen.append(stack.min())
        if i % 3 == 2:
            stack.pop()
    return seen


def _oracle_min_stack(values: list[int]) -> list[int]:
    stack: list[int] = []
    seen = []
    for i, x in enumerate(values):
        stack.append(x)
        seen.append(min(stack))
        if i % 3 == 2:
            stack.pop()
    return seen


def _run_queue(values: list[int]) -> list[int]:
    queue, out = stacks_heaps.TwoStackQueue(), []
    for i, x in enumerate(values):
        queue.push(x)
        if i % 2:
            out.append(queue.pop())
    return out


def _oracle_queue(values: list[int]) -> list[int]:
    return values[: len(values) // 2]


def _rpn(rng: random.Random) -> tuple[list[str]]:
    tokens = [str(rng.randint(1, 9))]
    for _ in range(rng.randint(0, 5)):
        tokens += [str(rng.randint(1, 9)), rng.choice("+-*/")]
    return (tokens,)


def _oracle_rpn(tokens: list[str]) -> int:
    """The left-to-right fold the generator's token shape denotes, in Python arithmetic."""
    value = int(tokens[0])
    for i in range(1, len(tokens), 2):
        b, op = int(tokens[i]), tokens[i + 1]
        if op == "+":
            value += b
        elif op == "-":
            value -= b
        elif op == "*":
            value *= b
        else:
            value = int(value / b)  # truncation towards zero, as the problem states
    return value


def _k_of(rng: random.Random) -> tuple[list[int], int]:
    values = ints(rng, n_min=1)
    return values, rng.randint(1, len(values))


def _sorted_lists(rng: random.Random) -> tuple[list[list[int]]]:
    return ([sorted(ints(rng, n_max=5)) for _ in range(rng.randint(0, 4))],)


def _copy_call(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Call `fn` on copies: some problems work in place."""
    return lambda nums, *rest: fn(list(nums), *rest)


def _dedupe(nums: list[int]) -> list[int]:
    nums = list(nums)
    return nums[: windows.dedupe_sorted(nums)]


def _window(rng: random.Random) -> tuple[list[int], int]:
    values = ints(rng, n_min=1)
    return values, rng.randint(1, len(values))


def _pair_found(nums: list[int], target: int) -> bool:
    """Ours finds a valid pair (any one: several may exist)."""
    pair = windows.pair_with_sum_sorted(nums, target)
    return pair is not None and pair[0] < pair[1] and nums[pair[0]] + nums[pair[1]] == target


def _pair_exists(nums: list[int], target: int) -> bool:
    n = len(nums)
    return any(nums[i] + nums[j] == target for i in range(n) for j in range(i + 1, n))


def _peak_found(nums: list[int]) -> bool:
    """Ours returns an index not below its neighbours (any such one)."""
    i = searching.find_peak(nums)
    return all(nums[i] >= nums[j] for j in (i - 1, i + 1) if 0 <= j < len(nums))


def _last_stone_oracle(stones: list[int]) -> int:
    while len(stones) > 1:
        stones.sort()
        a, b = stones.pop(), stones.pop()
        if a != b:
            stones.append(a - b)
    return stones[0] if stones else 0


def _count_steps(n: int) -> int:
    """Every sequence of 1s and 2s summing to n, counted by recursion."""
    return 1 if n <= 1 else _count_steps(n - 1) + _count_steps(n - 2)


def _edit_oracle(a: str, b: str) -> int:
    """Levenshtein by plain recursion (exponential; short strings only)."""
    if not a or not b:
        return len(a) + len(b)
    if a[0] == b[0]:
        return _edit_oracle(a[1:], b[1:])
    return 1 + min(_edit_oracle(a[1:], b), _edit_oracle(a, b[1:]), _edit_oracle(a[1:], b[1:]))


def _knapsack_input(rng: random.Random) -> tuple[list[int], list[int], int]:
    n = rng.randint(0, 7)
    return (
        [rng.randint(1, 6) for _ in range(n)],
        [rng.randint(0, 9) for _ in range(n)],
        rng.randint(0, 15),
    )


PROBLEMS: list[Problem] = [
    # arrays and hash maps
    Problem(
        "two_sum",
        "arrays",
        "O(n)",
        arrays.two_sum,
        o.two_sum,
        lambda r: (ints(r), r.randint(-9, 9)),
    ),
    Problem(
        "contains_duplicate",
        "arrays",
        "O(n)",
        arrays.contains_duplicate,
        lambda v: any(v.count(x) > 1 for x in v),
        lambda r: (ints(r),),
    ),
    Problem(
        "max_subarray",
        "arrays",
        "O(n)",
        arrays.max_subarray,
        o.max_subarray,
        lambda r: (ints(r, n_min=1),),
    ),
    Problem(
        "product_except_self",
        "arrays",
        "O(n)",
        arrays.product_except_self,
        o.product_except_self,
        lambda r: (ints(r, -3, 3),),
    ),
    Problem(
        "max_profit", "arrays", "O(n)", arrays.max_profit, o.max_profit, lambda r: (ints(r, 0, 20),)
    ),
    Problem(
        "merge_intervals",
        "arrays",
        "O(n log n)",
        arrays.merge_intervals,
        o.merge_intervals,
        lambda r: (
            [tuple(sorted((r.randint(0, 15), r.randint(0, 15)))) for _ in range(r.randint(0, 6))],
        ),
    ),
    Problem(
        "majority_element",
        "arrays",
        "O(n)",
        arrays.majority_element,
        o.majority_element,
        lambda r: (ints(r, 0, 2),),
    ),
    Problem(
        "subarray_sum_count",
        "arrays",
        "O(n)",
        arrays.subarray_sum_count,
        o.subarray_sum_count,
        lambda r: (ints(r, -3, 3), r.randint(-3, 3)),
    ),
    Problem(
        "rotate",
        "arrays",
        "O(n)",
        _copy_call(arrays.rotate),
        o.rotate,
        lambda r: (ints(r), r.randint(0, 20)),
    ),
    Problem(
        "longest_consecutive",
        "arrays",
        "O(n)",
        arrays.longest_consecutive,
        o.longest_consecutive,
        lambda r: (ints(r, 0, 12),),
    ),
    # strings
    Problem(
        "is_anagram",
        "strings",
        "O(n)",
        strings.is_anagram,
        lambda a, b: sorted(a) == sorted(b),
        lambda r: (word(r, "ab", 5), word(r, "ab", 5)),
    ),
    Problem(
        "group_anagrams",
        "strings",
        "O(n k log k)",
        strings.group_anagrams,
        o.group_anagrams,
        lambda r: ([word(r, "abc", 3) for _ in range(r.randint(0, 7))],),
    ),
    Problem(
        "is_palindrome",
        "strings",
        "O(n)",
        strings.is_palindrome,
        o.is_palindrome,
        lambda r: (word(r, "aB b,A", 7),),
    ),
    Problem(
        "valid_brackets",
        "strings",
        "O(n)",
        strings.valid_brackets,
        o.valid_brackets,
        lambda r: (word(r, "()[]{}", 8),),
    ),
    Problem(
        "longest_common_prefix",
        "strings",
        "O(total length)",
        strings.longest_common_prefix,
        o.longest_common_prefix,
        lambda r: ([word(r, "ab", 4) for _ in range(r.randint(1, 4))],),
    ),
    Problem(
        "longest_palindrome",
        "strings",
        "O(n^2)",
        strings.longest_palindrome,
        o.longest_palindrome,
        lambda r: (word(r, "ab", 9),),
    ),
    Problem(
        "find_all (KMP)",
        "strings",
        "O(n + m)",
        strings.find_all,
        o.find_all,
        lambda r: (word(r, "ab", 14), word(r, "ab", 3, n_min=1)),
        "re lookahead",
    ),
    Problem(
        "compress",
        "strings",
        "O(n)",
        strings.compress,
        o.compress,
        lambda r: (word(r, "ab", 9),),
        "itertools.groupby",
    ),
    Problem(
        "reverse_words",
        "strings",
        "O(n)",
        strings.reverse_words,
        lambda s: " ".join(s.split()[::-1]),
        lambda r: (word(r, "a b", 9),),
    ),
    Problem(
        "first_unique",
        "strings",
        "O(n)",
        strings.first_unique,
        lambda s: next((i for i, c in enumerate(s) if s.count(c) == 1), -1),
        lambda r: (word(r, "abc", 7),),
    ),
    # two pointers and sliding windows
    Problem(
        "three_sum",
        "two pointers",
        "O(n^2)",
        windows.three_sum,
        o.three_sum,
        lambda r: (ints(r, -5, 5),),
    ),
    Problem(
        "max_water",
        "two pointers",
        "O(n)",
        windows.max_water,
        o.max_water,
        lambda r: (ints(r, 0, 9),),
    ),
    Problem(
        "trap_rain",
        "two pointers",
        "O(n)",
        windows.trap_rain,
        o.trap_rain,
        lambda r: (ints(r, 0, 6),),
    ),
    Problem(
        "dedupe_sorted",
        "two pointers",
        "O(n)",
        _dedupe,
        lambda v: sorted(set(v)),
        lambda r: (sorted(ints(r, 0, 5)),),
    ),
    Problem(
        "pair_with_sum_sorted",
        "two pointers",
        "O(n)",
        _pair_found,
        _pair_exists,
        lambda r: (sorted(ints(r)), r.randint(-9, 9)),
    ),
    Problem(
        "longest_unique_substring",
        "sliding window",
        "O(n)",
        windows.longest_unique_substring,
        o.longest_unique_substring,
        lambda r: (word(r, "abcd", 9),),
    ),
    Problem(
        "min_window",
        "sliding window",
        "O(n)",
        windows.min_window,
        o.min_window,
        lambda r: (word(r, "abc", 9), word(r, "abc", 3)),
    ),
    Problem("sliding_max", "sliding window", "O(n)", windows.sliding_max, o.sliding_max, _window),
    Problem(
        "min_subarray_len",
        "sliding window",
        "O(n)",
        windows.min_subarray_len,
        o.min_subarray_len,
        lambda r: (r.randint(1, 25), ints(r, 1, 9)),
    ),
    Problem(
        "char_replacement",
        "sliding window",
        "O(n)",
        windows.char_replacement,
        o.char_replacement,
        lambda r: (word(r, "ab", 9), r.randint(0, 3)),
    ),
    # binary search and selection
    Problem(
        "lower_bound",
        "binary search",
        "O(log n)",
        searching.lower_bound,
        o.lower_bound,
        lambda r: (sorted(ints(r)), r.randint(-10, 10)),
        "bisect",
    ),
    Problem(
        "upper_bound",
        "binary search",
        "O(log n)",
        searching.upper_bound,
        o.upper_bound,
        lambda r: (sorted(ints(r)), r.randint(-10, 10)),
        "bisect",
    ),
    Problem(
        "binary_search",
        "binary search",
        "O(log n)",
        searching.binary_search,
        lambda v, x: v.index(x) if x in v else -1,
        lambda r: (sorted(ints(r)), r.randint(-10, 10)),
    ),
    Problem(
        "isqrt",
        "binary search",
        "O(log n)",
        searching.isqrt,
        __import__("math").isqrt,
        lambda r: (r.randint(0, 10**6),),
        "math.isqrt",
    ),
    Problem(
        "search_rotated",
        "binary search",
        "O(log n)",
        searching.search_rotated,
        o.search_rotated,
        _rotated,
    ),
    Problem(
        "min_rotated",
        "binary search",
        "O(log n)",
        searching.min_rotated,
        min,
        lambda r: (_rotated(r)[0],),
    ),
    Problem(
        "find_peak", "binary search", "O(log n)", _peak_found, lambda v: True, _peak, "definition"
    ),
    Problem(
        "search_matrix",
        "binary search",
        "O(log rc)",
        searching.search_matrix,
        lambda m, x: any(x in row for row in m),
        _matrix,
    ),
    Problem(
        "kth_smallest (quickselect)",
        "selection",
        "O(n) expected",
        searching.kth_smallest,
        o.kth_smallest,
        _k_of,
        "sorted",
    ),
    # stacks, queues, heaps
    Problem(
        "min_stack", "stacks", "O(1) per op", _run_min_stack, _oracle_min_stack, _min_stack_ops
    ),
    Problem(
        "two_stack_queue", "queues", "O(1) amortised", _run_queue, _oracle_queue, _min_stack_ops
    ),
    Problem(
        "daily_temperatures",
        "stacks",
        "O(n)",
        stacks_heaps.daily_temperatures,
        o.daily_temperatures,
        lambda r: (ints(r, 0, 6),),
    ),
    Problem(
        "eval_rpn", "stacks", "O(n)", stacks_heaps.eval_rpn, _oracle_rpn, _rpn, "Python arithmetic"
    ),
    Problem(
        "largest_rectangle",
        "stacks",
        "O(n)",
        stacks_heaps.largest_rectangle,
        o.largest_rectangle,
        lambda r: (ints(r, 0, 6),),
    ),
    Problem(
        "kth_largest",
        "heaps",
        "O(n log k)",
        stacks_heaps.kth_largest,
        o.kth_largest,
        _k_of,
        "heapq.nlargest",
    ),
    Problem(
        "merge_sorted",
        "heaps",
        "O(n log k)",
        stacks_heaps.merge_sorted,
        o.merge_sorted,
        _sorted_lists,
        "heapq.merge",
    ),
    Problem(
        "top_k_frequent",
        "heaps",
        "O(n log k)",
        stacks_heaps.top_k_frequent,
        o.top_k_frequent,
        _k_of,
    ),
    Problem(
        "running_median",
        "heaps",
        "O(log n) per value",
        stacks_heaps.running_median,
        o.running_median,
        lambda r: (ints(r),),
    ),
    Problem(
        "last_stone",
        "heaps",
        "O(n log n)",
        stacks_heaps.last_stone,
        lambda s: _last_stone_oracle(list(s)),
        lambda r: (ints(r, 1, 9),),
    ),
    # dynamic programming
    Problem(
        "climb_stairs",
        "dynamic programming",
        "O(n)",
        dynamic.climb_stairs,
        lambda n: _count_steps(n),
        lambda r: (r.randint(0, 15),),
    ),
    Problem(
        "coin_change",
        "dynamic programming",
        "O(amount * coins)",
        dynamic.coin_change,
        o.coin_change,
        lambda r: (sorted(set(ints(r, 1, 7, 3, 1))), r.randint(0, 12)),
    ),
    Problem(
        "coin_ways",
        "dynamic programming",
        "O(amount * coins)",
        dynamic.coin_ways,
        o.coin_ways,
        lambda r: (sorted(set(ints(r, 1, 7, 3, 1))), r.randint(0, 12)),
    ),
    Problem(
        "lis_length",
        "dynamic programming",
        "O(n log n)",
        dynamic.lis_length,
        o.lis_length,
        lambda r: (ints(r, 0, 9),),
    ),
    Problem(
        "lis_length_quadratic",
        "dynamic programming",
        "O(n^2)",
        dynamic.lis_length_quadratic,
        o.lis_length,
        lambda r: (ints(r, 0, 9),),
    ),
    Problem(
        "lcs_length",
        "dynamic programming",
        "O(n m)",
        dynamic.lcs_length,
        o.lcs_length,
        lambda r: (word(r, "ab", 7), word(r, "ab", 7)),
    ),
    Problem(
        "edit_distance",
        "dynamic programming",
        "O(n m)",
        dynamic.edit_distance,
        lambda a, b: _edit_oracle(a, b),
        lambda r: (word(r, "ab", 6), word(r, "ab", 6)),
    ),
    Problem(
        "knapsack",
        "dynamic programming",
        "O(n * capacity)",
        dynamic.knapsack,
        o.knapsack,
        lambda r: _knapsack_input(r),
    ),
    Problem("rob", "dynamic programming", "O(n)", dynamic.rob, o.rob, lambda r: (ints(r, 0, 9),)),
    Problem(
        "unique_paths",
        "dynamic programming",
        "O(rows * cols)",
        dynamic.unique_paths,
        lambda a, b: __import__("math").comb(a + b - 2, a - 1),
        lambda r: (r.randint(1, 8), r.randint(1, 8)),
        "math.comb",
    ),
    Problem(
        "word_break",
        "dynamic programming",
        "O(n^2)",
        dynamic.word_break,
        o.word_break,
        lambda r: (word(r, "ab", 8), [word(r, "ab", 3, n_min=1) for _ in range(r.randint(0, 4))]),
    ),
    Problem(
        "max_product",
        "dynamic programming",
        "O(n)",
        dynamic.max_product,
        o.max_product,
        lambda r: (ints(r, -3, 3, n_min=1),),
    ),
    Problem(
        "can_partition",
        "dynamic programming",
        "O(n * sum)",
        dynamic.can_partition,
        o.can_partition,
        lambda r: (ints(r, 0, 9, 8),),
    ),
    *TREE_PROBLEMS,
    *GRAPH_PROBLEMS,
]


def check(problem: Problem, rng: random.Random) -> str | None:
    """One seeded case: None when ours equals the oracle, else a message with the input."""
    args = problem.gen(rng)
    ours, ref = problem.ours(*args), problem.oracle(*args)
    if ours != ref:
        return f"{problem.name}{args!r}: ours {ours!r} != {problem.oracle_name} {ref!r}"
    return None


def by_category() -> dict[str, list[Problem]]:
    """Problems grouped by category, in catalogue order."""
    groups: dict[str, list[Problem]] = {}
    for p in PROBLEMS:
        groups.setdefault(p.category, []).append(p)
    return groups
