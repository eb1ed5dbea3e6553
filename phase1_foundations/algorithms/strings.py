"""Strings: counting, stacks and expanding around centres."""

from __future__ import annotations

from collections import Counter, defaultdict


def is_anagram(a: str, b: str) -> bool:
    """Whether b is a rearrangement of a. O(n)."""
    return Counter(a) == Counter(b)


def group_anagrams(words: list[str]) -> list[list[str]]:
    """Words grouped by their letters; groups in first-seen order. O(n k log k)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for w in words:
        groups["".join(sorted(w))].append(w)
    return list(groups.values())


def is_palindrome(s: str) -> bool:
    """Palindrome over alphanumerics, ignoring case (two pointers). O(n)."""
    lo, hi = 0, len(s) - 1
    while lo < hi:
        if not s[lo].isalnum():
            lo += 1
        elif not s[hi].isalnum():
            hi -= 1
        elif s[lo].lower() != s[hi].lower():
            return False
        else:
            lo, hi = lo + 1, hi - 1
    return True


def valid_brackets(s: str) -> bool:
    """Whether every (, [ and { closes in order (a stack of openers). O(n)."""
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs and (not stack or stack.pop() != pairs[ch]):
            return False
    return not stack


def longest_common_prefix(words: list[str]) -> str:
    """The longest prefix shared by all words ('' for none). O(total length)."""
    if not words:
        return ""
    prefix = words[0]
    for w in words[1:]:
        while not w.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def longest_palindrome(s: str) -> str:
    """Longest palindromic substring (leftmost on ties), expanding around 2n-1 centres. O(n^2)."""
    best = s[:1]
    for centre in range(2 * len(s) - 1):
        lo, hi = centre // 2, centre // 2 + centre % 2
        while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
            lo, hi = lo - 1, hi + 1
        if hi - lo - 1 > len(best):
            best = s[lo + 1 : hi]
    return best


def find_all(text: str, pattern: str) -> list[int]:
    """Start of every occurrence of a non-empty pattern (Knuth-Morris-Pratt). O(n + m)."""
    fail = [0] * len(pattern)  # fail[i]: longest proper border of pattern[: i + 1]
    k = 0
    for i in range(1, len(pattern)):
        while k and pattern[i] != pattern[k]:
            k = fail[k - 1]
        k += pattern[i] == pattern[k]
        fail[i] = k
    hits, k = [], 0
    for i, ch in enumerate(text):
        while k and ch != pattern[k]:
            k = fail[k - 1]
        k += ch == pattern[k]
        if k == len(pattern):
            hits.append(i - k + 1)
            k = fail[k - 1]
    return hits


def compress(s: str) -> str:
    """Run-length encoding, 'aaab' -> 'a3b1'. O(n)."""
    out, i = [], 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(f"{s[i]}{j - i}")
        i = j
    return "".join(out)


def reverse_words(s: str) -> str:
    """Words in reverse order, single-spaced. O(n)."""
    return " ".join(reversed(s.split()))


def first_unique(s: str) -> int:
    """Index of the first character that occurs once (-1 if none). O(n)."""
    counts = Counter(s)
    return next((i for i, ch in enumerate(s) if counts[ch] == 1), -1)
