"""The plain-Python path: CSV streaming in bounded memory, context managers, generators."""

import tracemalloc

import numpy as np
import pytest

from phase1_foundations.data_stack.engine_python import (
    features_from_csv,
    open_events_csv,
    peak_rolling_sum,
    timed,
)
from phase1_foundations.data_stack.engines import differences, get_engine
from phase1_foundations.data_stack.tables import generate_events, load_states, write_events_csv


def test_csv_stream_equals_in_memory_pandas(tmp_path):
    states = load_states()
    path = write_events_csv(tmp_path / "e.csv", 30_000, seed=5)
    ref = get_engine("pandas")(generate_events(30_000, seed=5), states)
    assert differences(features_from_csv(path, states), ref) == []


def test_streaming_memory_is_bounded_by_the_day_grid_not_by_rows(tmp_path):
    states = load_states()
    # Running state: one list slot (8 B) and at most one int object (32 B) per state-day cell,
    # plus a fixed allowance for the interpreter's csv/dataclass machinery.
    grid_bound = len(states) * 365 * (8 + 32) + 256 * 1024
    for n in (20_000, 100_000):
        path = write_events_csv(tmp_path / f"e{n}.csv", n, seed=0)
        tracemalloc.start()
        features_from_csv(path, states)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < grid_bound, (n, peak, grid_bound)
    # The file itself is larger than the whole grid bound: rows were never all in memory.
    assert path.stat().st_size > grid_bound


def test_reader_is_lazy_and_file_closes_even_on_error(tmp_path):
    path = write_events_csv(tmp_path / "e.csv", 100, seed=0)
    with pytest.raises(RuntimeError), open_events_csv(path) as events:
        first = next(events)
        assert first.day >= 0
        raise RuntimeError("consumer failed")
    assert events.gi_frame is None or events.gi_running is False  # generator is finished


def test_bad_header_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ValueError, match="expected header"), open_events_csv(path):
        pass


def test_timed_records_even_when_block_raises():
    sink = {}
    with pytest.raises(KeyError), timed("step", sink):
        raise KeyError("x")
    assert sink["step"] >= 0


@pytest.mark.parametrize(
    ("values", "window", "expected"),
    [([], 7, 0), ([5], 7, 5), ([1, 5, 0, 2, 9], 2, 11), ([3] * 10, 7, 21)],
)
def test_peak_rolling_sum(values, window, expected):
    assert peak_rolling_sum(values, window) == expected
    if values:  # same answer as a direct NumPy computation
        c = np.cumsum([0, *values])
        direct = max(c[i + 1] - c[max(0, i + 1 - window)] for i in range(len(values)))
        assert peak_rolling_sum(values, window) == direct
