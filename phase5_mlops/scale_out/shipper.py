"""Publish the phase 2 API's prediction log (JSON lines) to an event stream, line by line.

The shipper tails the file like a log agent (Vector, Filebeat): it reads the complete lines
past its offset, publishes each as one event keyed `<file name>:<line number>`, and only then
advances the offset. A crash between publishing and advancing publishes those lines again
with the same keys, which the idempotent consumer drops: at least once, end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

from phase5_mlops.scale_out.streams import EventStream


class LogShipper:
    """Tails one prediction log into one stream; `ship()` publishes what is new."""

    def __init__(self, path: Path | str, stream: EventStream) -> None:
        self.path = Path(path)
        self.stream = stream
        self.offset = 0  # bytes of the file already published
        self.line = 0  # lines already published

    def ship(self) -> int:
        """Publish every complete line written since the last call; returns how many."""
        if not self.path.exists():
            return 0
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        end = data.rfind(b"\n") + 1  # a torn last line waits until it is complete
        published = 0
        for raw in data[:end].splitlines():
            self.line += 1
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue  # not an event: skipped, but it keeps its line number
            if isinstance(record, dict):
                self.stream.publish(f"{self.path.name}:{self.line}", record)
                published += 1
        self.offset += end
        return published
