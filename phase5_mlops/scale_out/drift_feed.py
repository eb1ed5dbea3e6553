"""The stream consumer's sink: logged predictions, deduplicated, fed to the drift monitor.

`DriftFeed.handle` is idempotent: an event whose key was seen already (a redelivery after a
consumer crash, or a line the shipper published twice) is counted and dropped. Records are
kept in key order (file, then line number), so a window is the same whatever order the
redeliveries arrived in. `verdict()` runs the monitoring milestone's drift tests on the window.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from phase5_mlops.monitoring.live import WindowVerdict, compare_window
from phase5_mlops.scale_out.streams import Event


class DriftFeed:
    """Unique prediction events by key, and the drift verdict of the most recent `window`."""

    def __init__(self, reference: pd.DataFrame, window: int = 500) -> None:
        self.reference = reference
        self.window = window
        self.records: dict[tuple[str, int], dict[str, Any]] = {}
        self.duplicates = 0

    def handle(self, event: Event) -> None:
        """Keep the event's features unless its key was seen before."""
        key = _order(event.key)
        if key in self.records:
            self.duplicates += 1
            return
        row = dict(event.payload.get("features", {}))
        if "prediction" in event.payload:
            row["prediction"] = event.payload["prediction"]
        self.records[key] = row

    def frame(self) -> pd.DataFrame:
        """The most recent `window` unique records, in log order."""
        keys = sorted(self.records)[-self.window :]
        return pd.DataFrame([self.records[k] for k in keys])

    def verdict(self) -> WindowVerdict:
        """The drift report and PSI of the window against the reference."""
        current = self.frame()
        if current.empty:
            raise ValueError("no events received yet")
        report, psi = compare_window(self.reference, current)
        return WindowVerdict(report, psi, current, len(self.records))


def _order(key: str) -> tuple[str, int]:
    """`"predictions.jsonl:12"` -> ("predictions.jsonl", 12); other keys sort by name alone."""
    name, _, line = key.rpartition(":")
    return (name, int(line)) if line.isdigit() else (key, 0)
