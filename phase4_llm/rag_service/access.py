"""Who may see which chunk: documents belong to a principal and are private or public.

A caller is a principal (from its API key) or anonymous, and may be an admin. Queries and
listings see the caller's own documents plus the public ones; anonymous callers see only
public ones; an admin sees everything. The store keeps, per principal, the set of its chunk
ids (and one set of public chunk ids), so a query's allowed set is a union of two sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VISIBILITIES = ("private", "public")


@dataclass(frozen=True)
class Viewer:
    """The caller as retrieval sees it: `principal` None is anonymous."""

    principal: str | None = None
    admin: bool = False

    def owns(self, owner: str) -> bool:
        """May this caller change or delete a document of `owner`?"""
        return self.admin or (self.principal is not None and self.principal == owner)


ADMIN = Viewer(None, admin=True)  # in-process callers (evaluation, demo) see everything


class OwnershipError(PermissionError):
    """A write touched a document that another principal owns."""


class ChunkAccess:
    """Chunk ids by owning principal and by visibility, kept beside the indexes."""

    def __init__(self) -> None:
        self.by_owner: dict[str, set[int]] = {}
        self.public: set[int] = set()
        self.total = 0

    def add(self, owner: str, public: bool, ids: list[int]) -> None:
        self.by_owner.setdefault(owner, set()).update(ids)
        if public:
            self.public.update(ids)
        self.total += len(ids)

    def remove(self, owner: str, ids: list[int]) -> None:
        own = self.by_owner.get(owner, set())
        before = len(own)
        own.difference_update(ids)
        self.public.difference_update(ids)
        self.total -= before - len(own)
        if not own:
            self.by_owner.pop(owner, None)

    def allowed(self, viewer: Viewer) -> np.ndarray | None:
        """Chunk ids `viewer` may retrieve, or None when that is every chunk."""
        if viewer.admin:
            return None
        own = self.by_owner.get(viewer.principal, set()) if viewer.principal is not None else set()
        ids = self.public | own
        if len(ids) == self.total:
            return None
        return np.fromiter(ids, dtype=np.int64, count=len(ids))
