"""The served model, swappable at run time without dropping in-flight requests.

A request takes the current `Artifact` once, at its start, and uses that object to the
end; `reload()` loads and checks the new artifact completely before swapping the reference
under a lock. An in-flight request therefore finishes on the model it started with, new
requests get the new one, and a bad artifact leaves the old model serving.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from phase2_tabular.common.tables import TableSpec
from phase2_tabular.tabular_api.artifact import Artifact, ArtifactError, load_artifact

log = logging.getLogger("roadmap.tabular_api")


class ModelStore:
    """Holds the current artifact; `get()` is lock-free, `reload()` is serialised."""

    def __init__(self, path: Path | str, spec: TableSpec) -> None:
        self.path = Path(path)
        self.spec = spec
        self._current: Artifact | None = None
        self._reload_lock = threading.Lock()
        self.reloads = 0
        self.last_error: str | None = None

    def load_initial(self) -> None:
        """Try to load the configured artifact; on failure the service stays not-ready."""
        try:
            self.reload()
        except ArtifactError as err:
            self.last_error = str(err)
            log.error("no model loaded, /readyz answers 503: %s", err)

    @property
    def ready(self) -> bool:
        return self._current is not None

    def get(self) -> Artifact:
        """The current artifact (raises LookupError when none is loaded)."""
        current = self._current  # one read: the request keeps this object
        if current is None:
            raise LookupError(self.last_error or "no model loaded")
        return current

    def reload(self, path: Path | str | None = None) -> Artifact:
        """Load (and check) an artifact, then swap it in; the old one serves until then."""
        with self._reload_lock:
            new = load_artifact(Path(path) if path else self.path, self.spec)
            self._current = new  # atomic reference swap
            if path:
                self.path = Path(path)
            self.reloads += 1
            self.last_error = None
            return new
