"""Binary trees: recursion on the shape, or a queue level by level."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass
class Node:
    """A binary tree node."""

    value: int
    left: Node | None = None
    right: Node | None = None


def from_level_order(values: list[int | None]) -> Node | None:
    """A tree from its level-order listing with None for missing children (LeetCode style)."""
    if not values or values[0] is None:
        return None
    root = Node(values[0])
    queue, i = deque([root]), 1
    while queue and i < len(values):
        node = queue.popleft()
        for side in ("left", "right"):
            if i < len(values) and values[i] is not None:
                child = Node(values[i])  # type: ignore[arg-type]
                setattr(node, side, child)
                queue.append(child)
            i += 1
    return root


def bst_insert(root: Node | None, value: int) -> Node:
    """Insert into a binary search tree (duplicates go right); returns the root. O(height)."""
    if root is None:
        return Node(value)
    if value < root.value:
        root.left = bst_insert(root.left, value)
    else:
        root.right = bst_insert(root.right, value)
    return root


def inorder(root: Node | None) -> list[int]:
    """In-order values, iteratively with an explicit stack. O(n)."""
    out: list[int] = []
    stack: list[Node] = []
    node = root
    while stack or node:
        while node:
            stack.append(node)
            node = node.left
        node = stack.pop()
        out.append(node.value)
        node = node.right
    return out


def level_order(root: Node | None) -> list[list[int]]:
    """Values level by level (breadth-first with a queue). O(n)."""
    levels, queue = [], deque([root] if root else [])
    while queue:
        level = [queue.popleft() for _ in range(len(queue))]
        levels.append([n.value for n in level])
        queue.extend(c for n in level for c in (n.left, n.right) if c)
    return levels


def max_depth(root: Node | None) -> int:
    """Number of nodes on the longest root-to-leaf path. O(n)."""
    return 0 if root is None else 1 + max(max_depth(root.left), max_depth(root.right))


def is_balanced(root: Node | None) -> bool:
    """Whether every node's subtrees differ in height by at most one. O(n)."""

    def height(node: Node | None) -> int:  # -1 marks an unbalanced subtree
        if node is None:
            return 0
        left, right = height(node.left), height(node.right)
        if left < 0 or right < 0 or abs(left - right) > 1:
            return -1
        return 1 + max(left, right)

    return height(root) >= 0


def is_bst(root: Node | None) -> bool:
    """Whether in-order values are strictly increasing (bounds passed down). O(n)."""

    def check(node: Node | None, lo: float, hi: float) -> bool:
        if node is None:
            return True
        return (
            lo < node.value < hi
            and check(node.left, lo, node.value)
            and check(node.right, node.value, hi)
        )

    return check(root, float("-inf"), float("inf"))


def invert(root: Node | None) -> Node | None:
    """Mirror the tree in place. O(n)."""
    if root:
        root.left, root.right = invert(root.right), invert(root.left)
    return root


def diameter(root: Node | None) -> int:
    """Edges on the longest path between any two nodes. O(n)."""
    best = 0

    def depth(node: Node | None) -> int:
        nonlocal best
        if node is None:
            return 0
        left, right = depth(node.left), depth(node.right)
        best = max(best, left + right)
        return 1 + max(left, right)

    depth(root)
    return best


def lowest_common_ancestor_bst(root: Node, a: int, b: int) -> int:
    """Value of the deepest node that is an ancestor of both a and b in a BST. O(height)."""
    node: Node | None = root
    while node:
        if a < node.value and b < node.value:
            node = node.left
        elif a > node.value and b > node.value:
            node = node.right
        else:
            return node.value
    raise ValueError("values not in the tree")


def serialize(root: Node | None) -> str:
    """Pre-order with '#' for empty children; `deserialize` inverts it. O(n)."""
    out: list[str] = []

    def walk(node: Node | None) -> None:
        if node is None:
            out.append("#")
            return
        out.append(str(node.value))
        walk(node.left)
        walk(node.right)

    walk(root)
    return ",".join(out)


def deserialize(text: str) -> Node | None:
    """The tree `serialize` wrote. O(n)."""
    tokens = iter(text.split(","))

    def build() -> Node | None:
        tok = next(tokens)
        if tok == "#":
            return None
        node = Node(int(tok))
        node.left, node.right = build(), build()
        return node

    return build()


def has_path_sum(root: Node | None, target: int) -> bool:
    """Whether some root-to-leaf path sums to target. O(n)."""
    if root is None:
        return False
    rest = target - root.value
    if root.left is None and root.right is None:
        return rest == 0
    return has_path_sum(root.left, rest) or has_path_sum(root.right, rest)
