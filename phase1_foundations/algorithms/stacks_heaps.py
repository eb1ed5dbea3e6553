"""Stacks, queues and heaps: keep exactly the candidates that can still matter."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable


class MinStack:
    """A stack with O(1) push, pop and min (each entry remembers the minimum below it)."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int]] = []

    def push(self, x: int) -> None:
        self._items.append((x, min(x, self._items[-1][1]) if self._items else x))

    def pop(self) -> int:
        return self._items.pop()[0]

    def min(self) -> int:
        return self._items[-1][1]


class TwoStackQueue:
    """A FIFO queue from two stacks: amortised O(1) per operation."""

    def __init__(self) -> None:
        self._inbox: list[int] = []
        self._outbox: list[int] = []

    def push(self, x: int) -> None:
        self._inbox.append(x)

    def pop(self) -> int:
        if not self._outbox:
            while self._inbox:  # each item moves at most once
                self._outbox.append(self._inbox.pop())
        return self._outbox.pop()


def daily_temperatures(temps: list[int]) -> list[int]:
    """Days until a warmer day (0 if never): a stack of unresolved days. O(n)."""
    out = [0] * len(temps)
    waiting: list[int] = []
    for i, t in enumerate(temps):
        while waiting and temps[waiting[-1]] < t:
            j = waiting.pop()
            out[j] = i - j
        waiting.append(i)
    return out


def eval_rpn(tokens: list[str]) -> int:
    """Value of a reverse-Polish expression over + - * / (division truncates to 0). O(n)."""
    stack: list[int] = []
    for tok in tokens:
        if tok in {"+", "-", "*", "/"}:
            b, a = stack.pop(), stack.pop()
            if tok == "+":
                stack.append(a + b)
            elif tok == "-":
                stack.append(a - b)
            elif tok == "*":
                stack.append(a * b)
            else:
                stack.append(int(a / b))
        else:
            stack.append(int(tok))
    return stack[0]


def largest_rectangle(heights: list[int]) -> int:
    """Largest rectangle under a histogram (a stack of increasing bars). O(n)."""
    best = 0
    stack: list[int] = []  # indices of bars with increasing heights
    for i, h in enumerate([*heights, 0]):  # the final 0 flushes the stack
        while stack and heights[stack[-1]] >= h:
            height = heights[stack.pop()]
            left = stack[-1] + 1 if stack else 0
            best = max(best, height * (i - left))
        stack.append(i)
    return best


def kth_largest(nums: list[int], k: int) -> int:
    """The k-th largest value, keeping a min-heap of the k largest seen. O(n log k)."""
    heap: list[int] = []
    for x in nums:
        if len(heap) < k:
            heapq.heappush(heap, x)
        elif x > heap[0]:
            heapq.heapreplace(heap, x)
    return heap[0]


def merge_sorted(lists: list[list[int]]) -> list[int]:
    """All values of k sorted lists in order (a heap of list heads). O(n log k)."""
    heads = [(lst[0], i, 0) for i, lst in enumerate(lists) if lst]
    heapq.heapify(heads)
    out = []
    while heads:
        value, i, j = heapq.heappop(heads)
        out.append(value)
        if j + 1 < len(lists[i]):
            heapq.heappush(heads, (lists[i][j + 1], i, j + 1))
    return out


def top_k_frequent(nums: list[int], k: int) -> list[int]:
    """The k most frequent values, most frequent first, ties by smaller value. O(n log k)."""
    counts = Counter(nums)
    return [v for _, v in heapq.nsmallest(k, ((-c, v) for v, c in counts.items()))]


def running_median(stream: Iterable[int]) -> list[float]:
    """Median after each value (a max-heap of the low half, a min-heap of the high half).
    O(log n) per value."""
    low: list[int] = []  # negated: a max-heap
    high: list[int] = []
    out = []
    for x in stream:
        heapq.heappush(low, -x)
        heapq.heappush(high, -heapq.heappop(low))  # the largest low value moves up
        if len(high) > len(low):
            heapq.heappush(low, -heapq.heappop(high))
        out.append(float(-low[0]) if len(low) > len(high) else (-low[0] + high[0]) / 2)
    return out


def last_stone(stones: list[int]) -> int:
    """Smash the two heaviest stones until at most one is left; its weight (0 if none).
    O(n log n)."""
    heap = [-s for s in stones]
    heapq.heapify(heap)
    while len(heap) > 1:
        a, b = -heapq.heappop(heap), -heapq.heappop(heap)
        if a != b:
            heapq.heappush(heap, -(a - b))
    return -heap[0] if heap else 0
