"""Worked examples with known answers, and the edge cases each function promises."""

import pytest

from phase1_foundations.algorithms import (
    arrays,
    dynamic,
    graphs,
    searching,
    stacks_heaps,
    strings,
    trees,
    windows,
)


def test_arrays_classics():
    assert arrays.two_sum([2, 7, 11, 15], 9) == (0, 1)
    assert arrays.two_sum([3, 3], 7) is None
    assert arrays.max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6
    assert arrays.max_subarray([-3, -1, -2]) == -1
    assert arrays.product_except_self([1, 2, 3, 4]) == [24, 12, 8, 6]
    assert arrays.merge_intervals([(1, 3), (2, 6), (8, 10), (15, 18)]) == [
        (1, 6),
        (8, 10),
        (15, 18),
    ]
    assert arrays.rotate([1, 2, 3, 4, 5, 6, 7], 3) == [5, 6, 7, 1, 2, 3, 4]
    assert arrays.rotate([], 3) == []
    assert arrays.longest_consecutive([100, 4, 200, 1, 3, 2]) == 4
    assert arrays.max_profit([]) == 0


def test_strings_and_windows_classics():
    assert strings.valid_brackets("([]{})") and not strings.valid_brackets("(]")
    assert strings.longest_palindrome("babad") == "bab"
    assert strings.find_all("abababa", "aba") == [0, 2, 4]
    assert windows.min_window("ADOBECODEBANC", "ABC") == "BANC"
    assert windows.min_window("a", "aa") == ""
    assert windows.trap_rain([0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1]) == 6
    assert windows.longest_unique_substring("abcabcbb") == 3
    assert windows.sliding_max([1, 3, -1, -3, 5, 3, 6, 7], 3) == [3, 3, 5, 5, 6, 7]
    assert windows.three_sum([-1, 0, 1, 2, -1, -4]) == [(-1, -1, 2), (-1, 0, 1)]


def test_searching_classics():
    assert searching.search_rotated([4, 5, 6, 7, 0, 1, 2], 0) == 4
    assert searching.search_rotated([4, 5, 6, 7, 0, 1, 2], 3) == -1
    assert searching.isqrt(0) == 0 and searching.isqrt(15) == 3 and searching.isqrt(16) == 4
    assert searching.binary_search([1, 2, 2, 2, 3], 2) == 1  # the first of repeats
    assert searching.search_matrix([], 1) is False


def test_stacks_and_heaps_classics():
    assert stacks_heaps.eval_rpn(["4", "13", "5", "/", "+"]) == 6
    assert stacks_heaps.eval_rpn(["7", "-2", "/"]) == -3  # truncates towards zero
    assert stacks_heaps.largest_rectangle([2, 1, 5, 6, 2, 3]) == 10
    assert stacks_heaps.running_median([5, 15, 1, 3]) == [5.0, 10.0, 5.0, 4.0]
    assert stacks_heaps.top_k_frequent([1, 1, 1, 2, 2, 3], 2) == [1, 2]


def test_dynamic_programming_classics():
    assert dynamic.coin_change([1, 2, 5], 11) == 3 and dynamic.coin_change([2], 3) == -1
    assert dynamic.lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4
    assert dynamic.edit_distance("horse", "ros") == 3
    assert dynamic.word_break("leetcode", ["leet", "code"])
    assert dynamic.unique_paths(3, 7) == 28
    assert dynamic.can_partition([1, 5, 11, 5]) and not dynamic.can_partition([1, 2, 3, 5])


def test_trees_round_trip_and_refuse_a_missing_value():
    root = trees.from_level_order([3, 9, 20, None, None, 15, 7])
    assert trees.level_order(root) == [[3], [9, 20], [15, 7]]
    assert trees.max_depth(root) == 3
    assert trees.serialize(trees.deserialize(trees.serialize(root))) == trees.serialize(root)
    bst = None
    for v in (6, 2, 8, 0, 4, 7, 9):
        bst = trees.bst_insert(bst, v)
    assert trees.lowest_common_ancestor_bst(bst, 2, 8) == 6
    with pytest.raises(ValueError):
        trees.lowest_common_ancestor_bst(trees.Node(1), 5, 9)


def test_graphs_classics():
    assert graphs.count_islands([[1, 1, 0], [0, 1, 0], [0, 0, 1]]) == 2
    assert graphs.topological_order({0: [1], 1: [0]}) is None
    assert graphs.bellman_ford(2, [(0, 1, -1), (1, 0, -1)], 0) is None
    assert graphs.bellman_ford(3, [(0, 1, 2)], 0) == [0.0, 2.0, float("inf")]
    uf = graphs.UnionFind(4)
    assert uf.union(0, 1) and not uf.union(1, 0) and uf.count == 3
