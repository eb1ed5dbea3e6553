"""A local Ray cluster for tests, the demo and the bench: `with local_ray(num_cpus=2): ...`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def local_ray(num_cpus: int = 2) -> Iterator[None]:
    """Start a local Ray cluster (no dashboard, quiet workers) and shut it down afterwards.

    An already running cluster (a caller's) is used as is and left running.
    """
    import ray

    if ray.is_initialized():
        yield
        return
    # Workers inherit this; else each starts one BLAS/OpenMP thread per core (oversubscribed).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    ray.init(
        num_cpus=num_cpus,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        yield
    finally:
        ray.shutdown()
