"""Graphs as adjacency lists: BFS/DFS, shortest paths, union-find, topological order.

A graph is `dict[node, list[neighbour]]` (or `list[(neighbour, weight)]` when weighted),
with every node present as a key; node ids are ints 0..n-1.
"""

from __future__ import annotations

import heapq
from collections import deque

Graph = dict[int, list[int]]
Weighted = dict[int, list[tuple[int, float]]]


def bfs_order(graph: Graph, start: int) -> list[int]:
    """Nodes reachable from start in breadth-first order (neighbours in list order). O(V+E)."""
    seen, order, queue = {start}, [], deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return order


def dfs_order(graph: Graph, start: int) -> list[int]:
    """Nodes reachable from start in depth-first pre-order, iteratively. O(V+E)."""
    seen, order, stack = set(), [], [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(reversed(graph[node]))  # so the first neighbour is visited first
    return order


def shortest_hops(graph: Graph, start: int) -> dict[int, int]:
    """Fewest edges from start to every reachable node (BFS). O(V+E)."""
    dist, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return dist


def count_islands(grid: list[list[int]]) -> int:
    """Number of 4-connected groups of 1s (flood fill each new one). O(rows * cols)."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    seen: set[tuple[int, int]] = set()
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] and (r, c) not in seen:
                islands += 1
                stack = [(r, c)]
                seen.add((r, c))
                while stack:
                    y, x = stack.pop()
                    for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                        inside = 0 <= ny < rows and 0 <= nx < cols
                        if inside and grid[ny][nx] and (ny, nx) not in seen:
                            seen.add((ny, nx))
                            stack.append((ny, nx))
    return islands


def dijkstra(graph: Weighted, start: int) -> dict[int, float]:
    """Shortest distances from start with non-negative weights (a binary heap).
    O((V+E) log V)."""
    dist = {start: 0.0}
    heap = [(0.0, start)]
    done: set[int] = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue  # a stale entry: a shorter path was found after it was pushed
        done.add(node)
        for nxt, w in graph[node]:
            if d + w < dist.get(nxt, float("inf")):
                dist[nxt] = d + w
                heapq.heappush(heap, (d + w, nxt))
    return dist


def bellman_ford(n: int, edges: list[tuple[int, int, float]], start: int) -> list[float] | None:
    """Shortest distances with any weights; None if a negative cycle is reachable. O(VE)."""
    dist = [float("inf")] * n
    dist[start] = 0.0
    for _ in range(n - 1):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            break
    if any(dist[u] + w < dist[v] for u, v, w in edges):
        return None
    return dist


class UnionFind:
    """Disjoint sets with path halving and union by size: near-O(1) per operation."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.count = n

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.count -= 1
        return True


def connected_components(n: int, edges: list[tuple[int, int]]) -> int:
    """Number of connected components of an undirected graph (union-find). O(E α(V))."""
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    return uf.count


def mst_weight(n: int, edges: list[tuple[int, int, float]]) -> float:
    """Total weight of a minimum spanning forest (Kruskal with union-find). O(E log E)."""
    uf = UnionFind(n)
    return sum(w for a, b, w in sorted(edges, key=lambda e: e[2]) if uf.union(a, b))


def topological_order(graph: Graph) -> list[int] | None:
    """An order with every edge forward (Kahn, smallest ready node first); None on a cycle.
    O((V+E) log V)."""
    indegree = dict.fromkeys(graph, 0)
    for node in graph:
        for nxt in graph[node]:
            indegree[nxt] += 1
    ready = [node for node, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for nxt in graph[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(ready, nxt)
    return order if len(order) == len(graph) else None


def is_bipartite(graph: Graph) -> bool:
    """Whether an undirected graph's nodes two-colour with no edge inside a colour (BFS). O(V+E)."""
    colour: dict[int, int] = {}
    for start in graph:
        if start in colour:
            continue
        colour[start] = 0
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in graph[node]:
                if nxt not in colour:
                    colour[nxt] = 1 - colour[node]
                    queue.append(nxt)
                elif colour[nxt] == colour[node]:
                    return False
    return True


def floyd_warshall(n: int, edges: list[tuple[int, int, float]]) -> list[list[float]]:
    """All-pairs shortest distances (no negative cycles). O(V^3)."""
    dist = [[0.0 if i == j else float("inf") for j in range(n)] for i in range(n)]
    for u, v, w in edges:
        dist[u][v] = min(dist[u][v], w)
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    return dist
