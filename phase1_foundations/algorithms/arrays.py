"""Arrays and hash maps: one pass with the right bookkeeping beats the nested loop."""

from __future__ import annotations


def two_sum(nums: list[int], target: int) -> tuple[int, int] | None:
    """Indices i < j with nums[i] + nums[j] == target (smallest j, then smallest i). O(n)."""
    first_seen: dict[int, int] = {}
    for j, x in enumerate(nums):
        if target - x in first_seen:
            return first_seen[target - x], j
        first_seen.setdefault(x, j)
    return None


def contains_duplicate(nums: list[int]) -> bool:
    """Whether any value appears twice. O(n) time, O(n) space."""
    return len(set(nums)) < len(nums)


def max_subarray(nums: list[int]) -> int:
    """Largest sum of a non-empty contiguous slice (Kadane). O(n)."""
    best = current = nums[0]
    for x in nums[1:]:
        current = max(x, current + x)  # extend the run or start again here
        best = max(best, current)
    return best


def product_except_self(nums: list[int]) -> list[int]:
    """out[i] = product of every other element, without division. O(n)."""
    out = [1] * len(nums)
    left = 1
    for i, x in enumerate(nums):
        out[i], left = left, left * x
    right = 1
    for i in range(len(nums) - 1, -1, -1):
        out[i] *= right
        right *= nums[i]
    return out


def max_profit(prices: list[int]) -> int:
    """Best single buy-then-sell profit (0 if none). O(n)."""
    best = 0
    low = prices[0] if prices else 0
    for p in prices:
        low = min(low, p)
        best = max(best, p - low)
    return best


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of closed intervals as sorted, disjoint intervals. O(n log n)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def majority_element(nums: list[int]) -> int | None:
    """The value occurring more than n/2 times, if any (Boyer-Moore vote + check). O(n)."""
    candidate, count = None, 0
    for x in nums:
        if count == 0:
            candidate = x
        count += 1 if x == candidate else -1
    return candidate if nums.count(candidate) * 2 > len(nums) else None  # type: ignore[arg-type]


def subarray_sum_count(nums: list[int], k: int) -> int:
    """Number of contiguous slices summing to k (prefix sums in a hash map). O(n)."""
    seen = {0: 1}
    total = count = 0
    for x in nums:
        total += x
        count += seen.get(total - k, 0)
        seen[total] = seen.get(total, 0) + 1
    return count


def rotate(nums: list[int], k: int) -> list[int]:
    """nums rotated right by k, in place by three reversals. O(n) time, O(1) space."""
    n = len(nums)
    if n == 0:
        return nums
    k %= n

    def reverse(lo: int, hi: int) -> None:
        while lo < hi:
            nums[lo], nums[hi] = nums[hi], nums[lo]
            lo, hi = lo + 1, hi - 1

    reverse(0, n - 1)
    reverse(0, k - 1)
    reverse(k, n - 1)
    return nums


def longest_consecutive(nums: list[int]) -> int:
    """Length of the longest run of consecutive integers (a set, walk from run starts). O(n)."""
    values = set(nums)
    best = 0
    for x in values:
        if x - 1 not in values:  # only start counting at the bottom of a run
            length = 1
            while x + length in values:
                length += 1
            best = max(best, length)
    return best
