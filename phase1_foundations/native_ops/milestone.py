from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.native_ops",
    title="Native (C++/pybind11) hot paths with NumPy fallbacks",
    claim="pairwise distances, top-k selection and the CART best-split search in C++ give "
    "bit-identical results to their NumPy fallbacks",
    reference="numpy",
    demo="phase1_foundations.native_ops.demo:main",
    parity="phase1_foundations.native_ops.parity:checks",
    bench="phase1_foundations.native_ops.bench:run",
    requirements=("numpy", "pybind11"),
    local_deps=(),
    exercises=("sq_distances", "knn"),
)
