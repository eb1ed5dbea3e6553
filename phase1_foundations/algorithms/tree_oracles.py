"""Tree problems for the catalogue: random trees, and oracles that take another road
(depth-first recursion where ours goes level by level, all pairs where ours is one pass)."""

from __future__ import annotations

import random
from collections import defaultdict, deque

from . import trees
from .problem import Problem
from .trees import Node


def random_bst(rng: random.Random) -> tuple[Node | None, list[int]]:
    """A BST from random inserts (duplicates possible), and the values inserted."""
    values = [rng.randint(0, 15) for _ in range(rng.randint(0, 10))]
    root = None
    for v in values:
        root = trees.bst_insert(root, v)
    return root, values


def random_tree(rng: random.Random) -> Node | None:
    """Any shape: a level-order listing with holes."""
    listing = [
        rng.choice([None, rng.randint(-5, 9)]) if i else rng.randint(-5, 9)
        for i in range(rng.randint(0, 12))
    ]
    return trees.from_level_order(listing)


def _nodes(root: Node | None) -> list[Node]:
    return [] if root is None else [root, *_nodes(root.left), *_nodes(root.right)]


def _height(node: Node | None) -> int:
    return 0 if node is None else 1 + max(_height(node.left), _height(node.right))


def _levels(root: Node | None) -> list[list[int]]:
    found: dict[int, list[int]] = defaultdict(list)

    def walk(node: Node | None, depth: int) -> None:  # pre-order keeps left-to-right order
        if node:
            found[depth].append(node.value)
            walk(node.left, depth + 1)
            walk(node.right, depth + 1)

    walk(root, 0)
    return [found[d] for d in sorted(found)]


def _inorder_rec(node: Node | None) -> list[int]:
    return [] if node is None else [*_inorder_rec(node.left), node.value, *_inorder_rec(node.right)]


def _diameter_all_pairs(root: Node | None) -> int:
    nodes = _nodes(root)
    adjacent: dict[int, list[int]] = defaultdict(list)
    for n in nodes:
        for c in (n.left, n.right):
            if c:
                adjacent[id(n)].append(id(c))
                adjacent[id(c)].append(id(n))
    best = 0
    for start in nodes:  # BFS from every node: the farthest pair, by brute force
        dist, queue = {id(start): 0}, deque([id(start)])
        while queue:
            u = queue.popleft()
            for v in adjacent[u]:
                if v not in dist:
                    dist[v] = dist[u] + 1
                    queue.append(v)
        best = max(best, *dist.values())
    return best


def _path_sums(node: Node | None) -> set[int]:
    if node is None:
        return set()
    if node.left is None and node.right is None:
        return {node.value}
    return {node.value + s for s in _path_sums(node.left) | _path_sums(node.right)}


def _lca_input(rng: random.Random) -> tuple[Node, int, int]:
    root, values = None, rng.sample(range(30), rng.randint(1, 10))
    for v in values:
        root = trees.bst_insert(root, v)
    assert root is not None
    return root, rng.choice(values), rng.choice(values)


def _lca_oracle(root: Node, a: int, b: int) -> int:
    def path(x: int) -> list[int]:
        out: list[int] = []
        node: Node | None = root
        while node:
            out.append(node.value)
            if x == node.value:
                return out
            node = node.left if x < node.value else node.right
        raise ValueError(x)

    common = [u for u, v in zip(path(a), path(b), strict=False) if u == v]
    return common[-1]


def _sorted_via_bst(values: list[int]) -> list[int]:
    root = None
    for v in values:
        root = trees.bst_insert(root, v)
    return trees.inorder(root)


def _mirror_levels(root: Node | None) -> list[list[int]]:
    copy = trees.deserialize(trees.serialize(root))  # invert works in place: keep the input
    return trees.level_order(trees.invert(copy))


def _roundtrip(root: Node | None) -> list[list[int]]:
    return _levels(trees.deserialize(trees.serialize(root)))


def _tree(rng: random.Random) -> tuple[Node | None]:
    return (random_tree(rng),)


def _problems() -> list[Problem]:
    tree = _tree
    return [
        Problem(
            "bst_insert + inorder",
            "trees",
            "O(n log n) average",
            _sorted_via_bst,
            sorted,
            lambda r: (random_bst(r)[1],),
            "sorted",
        ),
        Problem(
            "level_order", "trees", "O(n)", trees.level_order, _levels, tree, "depth-first by depth"
        ),
        Problem("max_depth", "trees", "O(n)", trees.max_depth, _height, tree),
        Problem(
            "is_balanced",
            "trees",
            "O(n)",
            trees.is_balanced,
            lambda t: all(abs(_height(n.left) - _height(n.right)) <= 1 for n in _nodes(t)),
            tree,
            "definition, O(n^2)",
        ),
        Problem(
            "is_bst",
            "trees",
            "O(n)",
            trees.is_bst,
            lambda t: all(
                a < b for a, b in zip(_inorder_rec(t), _inorder_rec(t)[1:], strict=False)
            ),
            tree,
            "in-order is increasing",
        ),
        Problem(
            "invert",
            "trees",
            "O(n)",
            _mirror_levels,
            lambda t: [lv[::-1] for lv in _levels(t)],
            tree,
            "levels reversed",
        ),
        Problem(
            "diameter",
            "trees",
            "O(n)",
            trees.diameter,
            _diameter_all_pairs,
            tree,
            "BFS from every node",
        ),
        Problem(
            "lowest_common_ancestor_bst",
            "trees",
            "O(height)",
            trees.lowest_common_ancestor_bst,
            _lca_oracle,
            _lca_input,
            "common path prefix",
        ),
        Problem(
            "serialize/deserialize", "trees", "O(n)", _roundtrip, _levels, tree, "the original tree"
        ),
        Problem(
            "has_path_sum",
            "trees",
            "O(n)",
            trees.has_path_sum,
            lambda t, k: k in _path_sums(t),
            lambda r: (random_tree(r), r.randint(-5, 20)),
            "every path sum",
        ),
    ]


TREE_PROBLEMS: list[Problem] = _problems()
