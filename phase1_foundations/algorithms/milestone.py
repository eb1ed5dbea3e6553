from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.algorithms",
    title="Algorithms: 80+ classic problems, each checked against an oracle",
    claim="arrays, strings, hash maps, two pointers, sliding windows, binary search, stacks, "
    "queues, heaps, trees, graphs (BFS/DFS, shortest paths, union-find, topological sort) and "
    "dynamic programming: every function equals a brute-force oracle, bisect/heapq or networkx "
    "on generated inputs, and the benchmark fits each stated complexity's exponent",
    reference="brute force, bisect, heapq, networkx",
    demo="phase1_foundations.algorithms.demo:main",
    parity="phase1_foundations.algorithms.parity:checks",
    bench="phase1_foundations.algorithms.bench:run",
    requirements=("networkx",),
)
