"""Stated complexity, measured: time at growing sizes, the fitted log-log exponent, and the
library beside ours where one does the same job (bisect, heapq, networkx)."""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from phase0_env.common.bench import BenchRow, compare, sizes

from . import dynamic, graphs, searching, stacks_heaps, windows


def fitted_exponent(ns: Sequence[float], seconds: Sequence[float]) -> float:
    """Slope of log(time) against log(n) by least squares: ~1 for O(n), ~2 for O(n^2)."""
    xs, ys = [math.log(n) for n in ns], [math.log(max(t, 1e-9)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _random_dag(n: int, rng: random.Random) -> dict[int, list[int]]:
    return {u: [v for v in rng.sample(range(u + 1, n), min(3, n - u - 1))] for u in range(n)}


def _weighted(n: int, rng: random.Random) -> dict[int, list[tuple[int, float]]]:
    return {u: [(rng.randrange(n), rng.random()) for _ in range(4)] for u in range(n)}


def _cases(
    n: int, rng: random.Random
) -> list[tuple[str, str, Callable[[], Any], Callable[[], Any] | None, str]]:
    """(case, stated complexity, ours, reference or None, reference name) at size n."""
    data = [rng.randint(0, 10 * n) for _ in range(n)]
    ordered = sorted(data)
    probes = [rng.randint(0, 10 * n) for _ in range(200)]
    lists = [sorted(data[i::8]) for i in range(8)]
    dag, weighted = _random_dag(n, rng), _weighted(n, rng)
    out: list[tuple[str, str, Callable[[], Any], Callable[[], Any] | None, str]] = [
        (
            "lower_bound x200",
            "O(log n)",
            lambda: [searching.lower_bound(ordered, x) for x in probes],
            lambda: [bisect.bisect_left(ordered, x) for x in probes],
            "bisect.bisect_left",
        ),
        (
            "kth_largest k=10",
            "O(n log k)",
            lambda: stacks_heaps.kth_largest(data, 10),
            lambda: heapq.nlargest(10, data)[-1],
            "heapq.nlargest",
        ),
        (
            "merge_sorted 8 lists",
            "O(n log k)",
            lambda: stacks_heaps.merge_sorted(lists),
            lambda: list(heapq.merge(*lists)),
            "heapq.merge",
        ),
        ("sliding_max k=50", "O(n)", lambda: windows.sliding_max(data, 50), None, ""),
        ("lis_length", "O(n log n)", lambda: dynamic.lis_length(data), None, ""),
        (
            "topological_order",
            "O((V+E) log V)",
            lambda: graphs.topological_order(dag),
            lambda: _nx_topo(dag),
            "networkx",
        ),
        (
            "dijkstra",
            "O((V+E) log V)",
            lambda: graphs.dijkstra(weighted, 0),
            lambda: _nx_dijkstra(weighted),
            "networkx",
        ),
    ]
    if n <= 2_000:
        out.append(
            ("lis_length_quadratic", "O(n^2)", lambda: dynamic.lis_length_quadratic(data), None, "")
        )
    return out


def _nx_topo(dag: dict[int, list[int]]) -> list[int]:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(dag)
    g.add_edges_from((u, v) for u, vs in dag.items() for v in vs)
    return list(nx.lexicographical_topological_sort(g))


def _nx_dijkstra(adj: dict[int, list[tuple[int, float]]]) -> dict[int, float]:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(adj)
    for u, vs in adj.items():
        for v, w in vs:  # the last weight of a repeated edge wins in networkx: keep the min
            if not g.has_edge(u, v) or g[u][v]["weight"] > w:
                g.add_edge(u, v, weight=w)
    return dict(nx.single_source_dijkstra_path_length(g, 0))


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per case and size; quality holds the exponent fitted over the case's sizes."""
    rows: list[BenchRow] = []
    for n in sizes(quick, full=(1_000, 10_000, 100_000), small=(500, 2_000, 8_000)):
        rng = random.Random(n)
        for case, stated, ours, ref, ref_name in _cases(n, rng):
            rows.append(
                compare(
                    case,
                    n,
                    ours,
                    ref,
                    reference=ref_name or "(none: ours only)",
                    repeats=3,
                    quality={"stated": stated},
                )
            )
    for case in {r.case for r in rows}:
        mine = sorted((r for r in rows if r.case == case), key=lambda r: int(r.size))
        if len(mine) >= 2:
            slope = fitted_exponent([int(r.size) for r in mine], [r.ours_s for r in mine])
            for r in mine:
                r.quality["fitted_exponent"] = round(slope, 2)
    return rows
