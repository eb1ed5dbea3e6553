"""Recall@10 vs queries/s sweeps: ours (HNSW, IVF-PQ) beside faiss and hnswlib, same data.

Every library runs single-threaded (faiss.omp_set_num_threads(1), hnswlib num_threads=1, and
NumPy's BLAS limited to one thread by threadpoolctl, which our IVF-PQ's query-side matmuls
use: a multi-threaded BLAS spinning on a busy machine cost it up to 50x) so the QPS compares
algorithms and inner loops, not thread pools. Queries go in one batch; a
point's QPS is the best of `repeats` timed runs (the least disturbed by other processes).
`python -m phase6_tracks.ann_search.sweep [--quick] [--only uniform|minilm] [--merge]` writes
the table and the plot to docs/.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .brute import exact_knn, recall_at_k
from .datasets import BENCH_SENTENCES, bbc_sentences, minilm_embeddings, uniform
from .hnsw import HNSW
from .ivfpq import IVFPQ

DOCS = Path(__file__).parent / "docs"
EFS = (10, 16, 24, 32, 48, 64, 96, 128, 200, 300)
NPROBES = (1, 2, 4, 8, 16, 32, 64)
Searcher = Callable[[np.ndarray, int], np.ndarray]  # (queries, knob) -> ids


def best_qps(
    search: Searcher, Q: np.ndarray, knob: int, repeats: int = 3
) -> tuple[float, np.ndarray]:
    """(queries per second, ids) of one setting: the fastest of `repeats` runs after a warm-up."""
    search(Q[:10], knob)  # first-call costs (tables, caches) are not query throughput
    best, ids = np.inf, np.empty((0, 10), dtype=np.int64)
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        ids = search(Q, knob)
        best = min(best, time.perf_counter() - start)
    return len(Q) / best, ids


Built = dict[str, tuple[Searcher, tuple[int, ...], float]]


def build_all(
    X: np.ndarray,
    *,
    M: int = 16,
    ef_construction: int = 200,
    nlist: int = 256,
    m: int = 8,
    nbits: int = 8,
) -> Built:
    """Each index built on X: name -> (searcher, its knob values, build seconds)."""
    import faiss
    import hnswlib

    faiss.omp_set_num_threads(1)
    dim = X.shape[1]
    out: Built = {}

    t = time.perf_counter()
    ours = HNSW(dim, M=M, ef_construction=ef_construction).fit(X)
    out["ours HNSW"] = (lambda Q, ef: ours.search(Q, 10, ef)[1], EFS, time.perf_counter() - t)

    t = time.perf_counter()
    fh = faiss.IndexHNSWFlat(dim, M)
    fh.hnsw.efConstruction = ef_construction
    fh.add(X)

    def faiss_hnsw(Q: np.ndarray, ef: int) -> np.ndarray:
        fh.hnsw.efSearch = ef
        return fh.search(Q, 10)[1]

    out["faiss HNSWFlat"] = (faiss_hnsw, EFS, time.perf_counter() - t)

    t = time.perf_counter()
    hl = hnswlib.Index(space="l2", dim=dim)
    hl.init_index(max_elements=len(X), M=M, ef_construction=ef_construction, random_seed=0)
    hl.set_num_threads(1)
    hl.add_items(X)

    def hnswlib_search(Q: np.ndarray, ef: int) -> np.ndarray:
        hl.set_ef(max(ef, 10))
        return hl.knn_query(Q, k=10, num_threads=1)[0]

    out["hnswlib"] = (hnswlib_search, EFS, time.perf_counter() - t)

    t = time.perf_counter()
    ivf = IVFPQ(dim, nlist, m, nbits).fit(X)
    out["ours IVF-PQ"] = (lambda Q, p: ivf.search(Q, 10, p)[1], NPROBES, time.perf_counter() - t)

    t = time.perf_counter()
    fq = faiss.IndexFlatL2(dim)
    fi = faiss.IndexIVFPQ(fq, dim, nlist, m, nbits)
    fi.train(X)
    fi.add(X)

    def faiss_ivf(Q: np.ndarray, nprobe: int) -> np.ndarray:
        fi.nprobe = nprobe
        return fi.search(Q, 10)[1]

    out["faiss IVFPQ"] = (faiss_ivf, NPROBES, time.perf_counter() - t)
    return out


def run_sweep(X: np.ndarray, Q: np.ndarray, **params: int) -> dict[str, list[dict[str, float]]]:
    """Recall@10 and QPS of every index at every knob value (NumPy's BLAS on one thread too)."""
    from threadpoolctl import threadpool_limits

    _, truth = exact_knn(X, Q, 10)
    results: dict[str, list[dict[str, float]]] = {}
    with threadpool_limits(1):
        built = build_all(X, **params)
    for name, (search, knobs, build_s) in built.items():
        points = []
        for knob in knobs:
            with threadpool_limits(1):
                qps, ids = best_qps(search, Q, knob)
            points.append(
                {"knob": knob, "recall": recall_at_k(ids, truth), "qps": qps, "build_s": build_s}
            )
        results[name] = points
    return results


def qps_at_recall(points: list[dict[str, float]], target: float) -> float | None:
    """QPS at `target` recall, log-linear between the two sweep points around it (None if
    never reached); the fastest setting already at the target if the first point is above."""
    pts = sorted(points, key=lambda p: p["knob"])
    for prev, cur in zip([None, *pts[:-1]], pts, strict=True):
        if cur["recall"] >= target:
            if prev is None or prev["recall"] >= target or cur["recall"] == prev["recall"]:
                return cur["qps"]
            w = (target - prev["recall"]) / (cur["recall"] - prev["recall"])
            return float(
                np.exp(np.log(prev["qps"]) + w * (np.log(cur["qps"]) - np.log(prev["qps"])))
            )
    return None


def datasets(quick: bool) -> dict[str, Callable[[], tuple[str, np.ndarray, np.ndarray, dict]]]:
    """key -> loader of (title, base vectors, queries, index parameters), loaded on demand."""
    n_uniform, n_queries = (10_000, 200) if quick else (100_000, 1000)

    def uniform_data() -> tuple[str, np.ndarray, np.ndarray, dict]:
        X, Q = uniform(n_uniform, 32, seed=0), uniform(n_queries, 32, seed=1)
        return f"uniform dim 32, n={n_uniform}", X, Q, {"nlist": 64 if quick else 256, "m": 8}

    def minilm_data() -> tuple[str, np.ndarray, np.ndarray, dict]:
        sentences, _ = bbc_sentences(BENCH_SENTENCES)
        emb = minilm_embeddings(sentences[: 3 * 2048] if quick else sentences)  # quick: 3 chunks
        order = np.random.default_rng(0).permutation(len(emb))
        Q, X = emb[order[:n_queries]], emb[order[n_queries:]]
        title = f"MiniLM BBC sentences dim 384, n={len(X)}"
        return title, X, Q, {"nlist": 64 if quick else 256, "m": 48}

    return {"uniform": uniform_data, "minilm": minilm_data}


def main(quick: bool = False, only: str | None = None, run: bool = True) -> dict:
    """Run the sweeps (all, or `only` one data set), saving each data set's points as soon as
    it is done (docs/sweep_part_<key>.json); then merge every saved part into
    docs/sweep_results.{json,md} and docs/recall_qps.png, and print the table."""
    suffix = "_quick" if quick else ""
    DOCS.mkdir(exist_ok=True)
    loaders = datasets(quick)
    for key, load in loaders.items():
        if run and only in (None, key):
            title, X, Q, params = load()
            print(f"== {title} ({len(Q)} queries) ==", flush=True)
            part = {title: run_sweep(X, Q, **params)}
            (DOCS / f"sweep_part_{key}{suffix}.json").write_text(json.dumps(part, indent=1))
    report: dict = {}
    for key in loaders:
        path = DOCS / f"sweep_part_{key}{suffix}.json"
        if path.exists():
            report.update(json.loads(path.read_text()))
    if not report:
        return report
    summary = summarize(report)
    print(summary)
    (DOCS / f"sweep_results{suffix}.json").write_text(json.dumps(report, indent=1))
    (DOCS / f"sweep_results{suffix}.md").write_text(summary + "\n")
    plot(report, DOCS / f"recall_qps{suffix}.png")
    return report


def summarize(report: dict) -> str:
    """A markdown table: build time, best recall, QPS at recall 0.5 (where IVF-PQ's codes
    still reach) / 0.9 / 0.95 / 0.99, and the ratio of ours to faiss HNSW at 0.95."""
    lines = [
        "| data | index | build s | best recall@10 | QPS @0.50 | QPS @0.90 | QPS @0.95 | QPS @0.99 "
        "|",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    ratios = []
    for data, indexes in report.items():
        for name, pts in indexes.items():
            cells = [qps_at_recall(pts, r) for r in (0.5, 0.9, 0.95, 0.99)]
            fmt = ["-" if c is None else f"{c:,.0f}" for c in cells]
            best = max(p["recall"] for p in pts)
            lines.append(
                f"| {data} | {name} | {pts[0]['build_s']:.1f} | {best:.3f} | "
                + " | ".join(fmt)
                + " |"
            )
        ours, ref = (qps_at_recall(indexes[n], 0.95) for n in ("ours HNSW", "faiss HNSWFlat"))
        if ours and ref:
            ratios.append(
                f"- {data}: ours HNSW / faiss HNSWFlat QPS at recall@10 0.95: **{ours / ref:.2f}x**"
            )
    return "\n".join([*lines, "", *ratios])


def plot(report: dict, path: Path) -> None:
    """Recall@10 (x) vs QPS (log y), one panel per data set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(report), figsize=(6 * len(report), 4.5), squeeze=False)
    for ax, (data, indexes) in zip(axes[0], report.items(), strict=True):
        for name, pts in indexes.items():
            style = "-o" if name.startswith("ours") else "--s"
            ax.plot([p["recall"] for p in pts], [p["qps"] for p in pts], style, ms=3, label=name)
        ax.set(title=data, xlabel="recall@10", ylabel="queries/s (1 thread)", yscale="log")
        ax.axvline(0.95, color="grey", lw=0.5)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["uniform", "minilm"], help="run one data set")
    parser.add_argument("--merge", action="store_true", help="only merge the saved parts")
    args = parser.parse_args()
    main(args.quick, args.only, run=not args.merge)
