"""Peak memory of a call, two ways, because neither sees everything.

- tracemalloc: allocations made through Python's allocator, including NumPy's buffers
  (NumPy reports them to tracemalloc). Blind to native allocators: Arrow's memory pool
  (jemalloc/mimalloc) and polars' Rust allocator do not report to it. It also slows
  pure-Python code, so it is measured in a separate run from the timing.
- peak RSS: Linux's VmHWM after resetting it (`/proc/self/clear_refs` <- 5), minus the RSS
  before the call. Sees native memory too, but only at page granularity, and includes
  anything else the process touches meanwhile (other threads, allocator caches).
  None where /proc is unavailable (macOS, Windows).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def peak_memory(fn: Callable[[], T]) -> tuple[T, dict[str, Any]]:
    """Run `fn` twice: once under a reset RSS high-water mark, once under tracemalloc."""
    # RSS first: the allocator has not yet cached this call's memory from a previous run.
    rss_delta = None
    before = _reset_rss_peak()
    result = fn()
    if before is not None:
        rss_delta = max(0, _status_kb("VmHWM") - before) * 1024
    tracemalloc.start()
    try:
        fn()
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, {
        "tracemalloc_peak_mb": traced_peak / 2**20,
        "rss_peak_delta_mb": None if rss_delta is None else rss_delta / 2**20,
    }


def _reset_rss_peak() -> int | None:
    try:
        _CLEAR_REFS.write_text("5")
        return _status_kb("VmRSS")
    except OSError:
        return None


def _status_kb(key: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise OSError(f"{key} not in {_STATUS}")
