"""An append-only audit log of every tool decision, as JSON lines (in memory, or also a file)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any


class AuditLog:
    """Records events; `path` makes each one a line of a JSON-lines file too."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else None
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def record(self, event: str, **fields: Any) -> dict[str, Any]:
        entry = {"ts": round(time.time(), 6), "event": event, **fields}
        line = json.dumps(entry, default=str)
        with self._lock:
            self.events.append(entry)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
        return entry

    def of(self, event: str) -> list[dict[str, Any]]:
        """Every recorded event of one kind."""
        return [e for e in self.events if e["event"] == event]
