"""Binary search and selection: halve what is left on every step."""

from __future__ import annotations

import random
from collections.abc import Callable


def lower_bound(nums: list[int], x: int) -> int:
    """First index whose value is >= x in a sorted list (as `bisect_left`). O(log n)."""
    lo, hi = 0, len(nums)
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(nums: list[int], x: int) -> int:
    """First index whose value is > x in a sorted list (as `bisect_right`). O(log n)."""
    lo, hi = 0, len(nums)
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def binary_search(nums: list[int], x: int) -> int:
    """Index of x in a sorted list, -1 if absent (the first one if repeated). O(log n)."""
    i = lower_bound(nums, x)
    return i if i < len(nums) and nums[i] == x else -1


def first_true(lo: int, hi: int, pred: Callable[[int], bool]) -> int:
    """Smallest i in [lo, hi) with pred(i) true for a monotone pred (hi if none). O(log n)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def isqrt(n: int) -> int:
    """floor(sqrt(n)) for n >= 0, by binary search on the answer. O(log n)."""
    return first_true(0, n + 2, lambda r: r * r > n) - 1


def search_rotated(nums: list[int], x: int) -> int:
    """Index of x in a rotated sorted list of distinct values, -1 if absent. O(log n)."""
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == x:
            return mid
        if nums[lo] <= nums[mid]:  # the left half is sorted
            if nums[lo] <= x < nums[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif nums[mid] < x <= nums[hi]:  # the right half is sorted
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def min_rotated(nums: list[int]) -> int:
    """Smallest value of a rotated sorted list of distinct values. O(log n)."""
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] > nums[hi]:
            lo = mid + 1
        else:
            hi = mid
    return nums[lo]


def find_peak(nums: list[int]) -> int:
    """An index whose value is not below its neighbours (adjacent values differ). O(log n)."""
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] < nums[mid + 1]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def search_matrix(rows: list[list[int]], x: int) -> bool:
    """Whether x is in a matrix sorted row by row (one binary search over r*c). O(log rc)."""
    if not rows or not rows[0]:
        return False
    cols = len(rows[0])
    i = first_true(0, len(rows) * cols, lambda k: rows[k // cols][k % cols] >= x)
    return i < len(rows) * cols and rows[i // cols][i % cols] == x


def kth_smallest(nums: list[int], k: int, seed: int = 0) -> int:
    """The k-th smallest value, k from 1 (quickselect, random pivots). O(n) expected."""
    rng = random.Random(seed)
    items = list(nums)
    k -= 1
    while True:
        pivot = items[rng.randrange(len(items))]
        lows = [v for v in items if v < pivot]
        pivots = sum(v == pivot for v in items)
        if k < len(lows):
            items = lows
        elif k < len(lows) + pivots:
            return pivot
        else:
            k -= len(lows) + pivots
            items = [v for v in items if v > pivot]
