"""Two pointers and sliding windows: move one end at a time, never re-scan."""

from __future__ import annotations

from collections import Counter, deque


def three_sum(nums: list[int]) -> list[tuple[int, int, int]]:
    """Distinct sorted triples summing to zero (sort, then two pointers per anchor). O(n^2)."""
    nums = sorted(nums)
    out = []
    for i, a in enumerate(nums):
        if i and a == nums[i - 1]:
            continue
        lo, hi = i + 1, len(nums) - 1
        while lo < hi:
            total = a + nums[lo] + nums[hi]
            if total < 0:
                lo += 1
            elif total > 0:
                hi -= 1
            else:
                out.append((a, nums[lo], nums[hi]))
                lo += 1
                while lo < hi and nums[lo] == nums[lo - 1]:
                    lo += 1
    return out


def max_water(heights: list[int]) -> int:
    """Largest area between two lines (move the shorter side inwards). O(n)."""
    lo, hi, best = 0, len(heights) - 1, 0
    while lo < hi:
        best = max(best, (hi - lo) * min(heights[lo], heights[hi]))
        if heights[lo] < heights[hi]:
            lo += 1
        else:
            hi -= 1
    return best


def trap_rain(heights: list[int]) -> int:
    """Water trapped between bars (two pointers with running maxima). O(n)."""
    lo, hi = 0, len(heights) - 1
    left_max = right_max = water = 0
    while lo < hi:
        if heights[lo] < heights[hi]:
            left_max = max(left_max, heights[lo])
            water += left_max - heights[lo]
            lo += 1
        else:
            right_max = max(right_max, heights[hi])
            water += right_max - heights[hi]
            hi -= 1
    return water


def dedupe_sorted(nums: list[int]) -> int:
    """Remove duplicates from a sorted list in place; return the new length. O(n)."""
    write = 0
    for x in nums:
        if write == 0 or x != nums[write - 1]:
            nums[write] = x
            write += 1
    return write


def longest_unique_substring(s: str) -> int:
    """Length of the longest substring without a repeated character. O(n)."""
    last: dict[str, int] = {}
    start = best = 0
    for i, ch in enumerate(s):
        if last.get(ch, -1) >= start:
            start = last[ch] + 1
        last[ch] = i
        best = max(best, i - start + 1)
    return best


def min_window(s: str, t: str) -> str:
    """Shortest (leftmost) substring of s holding t's characters with their counts; '' if
    none. O(n)."""
    if not t:
        return ""
    need, missing = Counter(t), len(t)
    best = (0, -1)
    lo = 0
    for hi, ch in enumerate(s, 1):
        missing -= need[ch] > 0
        need[ch] -= 1
        if missing == 0:
            while need[s[lo]] < 0:  # drop surplus characters from the left
                need[s[lo]] += 1
                lo += 1
            if best[1] < 0 or hi - lo < best[1] - best[0]:
                best = (lo, hi)
            need[s[lo]] += 1
            missing += 1
            lo += 1
    return s[best[0] : best[1]] if best[1] >= 0 else ""


def sliding_max(nums: list[int], k: int) -> list[int]:
    """Maximum of every window of size k (a deque of decreasing candidates). O(n)."""
    window: deque[int] = deque()  # indices, values decreasing
    out = []
    for i, x in enumerate(nums):
        while window and nums[window[-1]] <= x:
            window.pop()
        window.append(i)
        if window[0] <= i - k:
            window.popleft()
        if i >= k - 1:
            out.append(nums[window[0]])
    return out


def min_subarray_len(target: int, nums: list[int]) -> int:
    """Shortest slice of positive numbers with sum >= target (0 if none). O(n)."""
    lo = total = 0
    best = len(nums) + 1
    for hi, x in enumerate(nums):
        total += x
        while total >= target:
            best = min(best, hi - lo + 1)
            total -= nums[lo]
            lo += 1
    return 0 if best > len(nums) else best


def char_replacement(s: str, k: int) -> int:
    """Longest run of one letter after at most k replacements. O(n)."""
    counts: Counter[str] = Counter()
    lo = top = best = 0
    for hi, ch in enumerate(s):
        counts[ch] += 1
        top = max(top, counts[ch])
        if hi - lo + 1 - top > k:  # the window needs more than k changes: slide it
            counts[s[lo]] -= 1
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def pair_with_sum_sorted(nums: list[int], target: int) -> tuple[int, int] | None:
    """Indices lo < hi of a sorted list with nums[lo] + nums[hi] == target. O(n)."""
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        total = nums[lo] + nums[hi]
        if total == target:
            return lo, hi
        if total < target:
            lo += 1
        else:
            hi -= 1
    return None
