"""Graph problems for the catalogue: seeded random graphs, with networkx as the oracle."""

from __future__ import annotations

import random
from typing import Any

from . import graphs
from .problem import Problem


def nx() -> Any:
    """networkx, imported on first use (it is the reference, not a dependency of ours)."""
    import networkx

    return networkx


def random_digraph(rng: random.Random, n_max: int = 8) -> dict[int, list[int]]:
    """Adjacency lists of a directed graph, no duplicate edges, self-loops possible."""
    n = rng.randint(1, n_max)
    p = rng.choice([0.15, 0.3, 0.5])
    return {u: [v for v in rng.sample(range(n), n) if rng.random() < p] for u in range(n)}


def random_undirected(rng: random.Random, n_max: int = 8) -> tuple[int, list[tuple[int, int]]]:
    n = rng.randint(1, n_max)
    edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.25]
    return n, edges


def _as_nx(graph: dict[int, list[int]], directed: bool = True) -> Any:
    g = nx().DiGraph() if directed else nx().Graph()
    g.add_nodes_from(graph)
    for u, vs in graph.items():
        g.add_edges_from((u, v) for v in vs)  # insertion order = our neighbour order
    return g


def _symmetric(rng: random.Random) -> tuple[dict[int, list[int]]]:
    n, edges = random_undirected(rng)
    adj: dict[int, list[int]] = {u: [] for u in range(n)}
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    return (adj,)


def _weighted(rng: random.Random, negative: bool = False) -> tuple[int, list[tuple[int, int, int]]]:
    n = rng.randint(1, 7)
    low = -3 if negative else 0
    edges = [
        (a, b, rng.randint(low, 9))
        for a in range(n)
        for b in range(n)
        if a != b and rng.random() < 0.3
    ]
    return n, edges


def _undirected_weighted(rng: random.Random) -> tuple[int, list[tuple[int, int, int]]]:
    n = rng.randint(1, 7)
    edges = [
        (a, b, rng.randint(0, 9)) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.4
    ]
    return n, edges


def _dijkstra_ours(n: int, edges: list[tuple[int, int, int]]) -> dict[int, float]:
    adj: dict[int, list[tuple[int, float]]] = {u: [] for u in range(n)}
    for a, b, w in edges:
        adj[a].append((b, w))
    return graphs.dijkstra(adj, 0)


def _weighted_nx(n: int, edges: list[tuple[int, int, int]], directed: bool = True) -> Any:
    g = nx().DiGraph() if directed else nx().Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edges)
    return g


def _bellman_ref(n: int, edges: list[tuple[int, int, int]], start: int) -> list[float] | None:
    g = _weighted_nx(n, edges)
    reachable = g.subgraph(nx().descendants(g, start) | {start}).copy()
    if nx().negative_edge_cycle(reachable):
        return None
    dist = nx().single_source_bellman_ford_path_length(g, start)
    return [float(dist.get(v, float("inf"))) for v in range(n)]


def _floyd_ref(n: int, edges: list[tuple[int, int, int]]) -> list[list[float]]:
    table = nx().floyd_warshall(_weighted_nx(n, edges))
    return [[float(table[i][j]) for j in range(n)] for i in range(n)]


def _mst_ref(n: int, edges: list[tuple[int, int, int]]) -> float:
    g = _weighted_nx(n, edges, directed=False)
    return float(nx().minimum_spanning_tree(g).size(weight="weight"))


def _topo_ref(graph: dict[int, list[int]]) -> list[int] | None:
    try:
        return list(nx().lexicographical_topological_sort(_as_nx(graph)))
    except nx().NetworkXUnfeasible:
        return None


def _dag_or_not(rng: random.Random) -> tuple[dict[int, list[int]]]:
    graph = random_digraph(rng)
    if rng.random() < 0.7:  # mostly acyclic: keep edges that go up in a random order
        rank = {v: i for i, v in enumerate(rng.sample(list(graph), len(graph)))}
        graph = {u: [v for v in vs if rank[v] > rank[u]] for u, vs in graph.items()}
    return (graph,)


def _grid(rng: random.Random) -> tuple[list[list[int]]]:
    rows, cols = rng.randint(1, 6), rng.randint(1, 6)
    return ([[int(rng.random() < 0.45) for _ in range(cols)] for _ in range(rows)],)


def _islands_ref(grid: list[list[int]]) -> int:
    g = nx().Graph()
    cells = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v]
    g.add_nodes_from(cells)
    g.add_edges_from(((r, c), (r + 1, c)) for r, c in cells if (r + 1, c) in g)
    g.add_edges_from(((r, c), (r, c + 1)) for r, c in cells if (r, c + 1) in g)
    return int(nx().number_connected_components(g))


def _components_ref(n: int, edges: list[tuple[int, int]]) -> int:
    g = nx().Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    return int(nx().number_connected_components(g))


GRAPH_PROBLEMS: list[Problem] = [
    Problem(
        "bfs_order",
        "graphs",
        "O(V + E)",
        lambda g: graphs.bfs_order(g, 0),
        lambda g: list(nx().bfs_tree(_as_nx(g), 0)),
        lambda r: (random_digraph(r),),
        "networkx.bfs_tree",
    ),
    Problem(
        "dfs_order",
        "graphs",
        "O(V + E)",
        lambda g: graphs.dfs_order(g, 0),
        lambda g: list(nx().dfs_preorder_nodes(_as_nx(g), 0)),
        lambda r: (random_digraph(r),),
        "networkx.dfs_preorder_nodes",
    ),
    Problem(
        "shortest_hops",
        "graphs",
        "O(V + E)",
        lambda g: graphs.shortest_hops(g, 0),
        lambda g: dict(nx().single_source_shortest_path_length(_as_nx(g), 0)),
        lambda r: (random_digraph(r),),
        "networkx",
    ),
    Problem(
        "count_islands",
        "graphs",
        "O(rows * cols)",
        graphs.count_islands,
        _islands_ref,
        _grid,
        "networkx components",
    ),
    Problem(
        "is_bipartite",
        "graphs",
        "O(V + E)",
        graphs.is_bipartite,
        lambda g: bool(nx().is_bipartite(_as_nx(g, directed=False))),
        _symmetric,
        "networkx.is_bipartite",
    ),
    Problem(
        "dijkstra",
        "shortest paths",
        "O((V + E) log V)",
        _dijkstra_ours,
        lambda n, e: {
            k: float(v)
            for k, v in nx().single_source_dijkstra_path_length(_weighted_nx(n, e), 0).items()
        },
        _weighted,
        "networkx dijkstra",
    ),
    Problem(
        "bellman_ford",
        "shortest paths",
        "O(V E)",
        lambda n, e: graphs.bellman_ford(n, e, 0),
        lambda n, e: _bellman_ref(n, e, 0),
        lambda r: _weighted(r, negative=True),
        "networkx bellman-ford",
    ),
    Problem(
        "floyd_warshall",
        "shortest paths",
        "O(V^3)",
        graphs.floyd_warshall,
        _floyd_ref,
        _weighted,
        "networkx.floyd_warshall",
    ),
    Problem(
        "connected_components (union-find)",
        "union-find",
        "O(E α(V))",
        graphs.connected_components,
        _components_ref,
        random_undirected,
        "networkx",
    ),
    Problem(
        "mst_weight (Kruskal)",
        "union-find",
        "O(E log E)",
        graphs.mst_weight,
        _mst_ref,
        _undirected_weighted,
        "networkx.minimum_spanning_tree",
    ),
    Problem(
        "topological_order (Kahn)",
        "topological sort",
        "O((V + E) log V)",
        graphs.topological_order,
        _topo_ref,
        _dag_or_not,
        "networkx.lexicographical_topological_sort",
    ),
]
