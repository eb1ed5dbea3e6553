"""Upsert batches are all-or-nothing, and documents belong to a principal (issue 18)."""

import numpy as np
import pytest

from phase4_llm.rag_service.access import Viewer
from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline
from phase4_llm.rag_service.store import OwnershipError

ALICE, BOB, ANON = Viewer("alice"), Viewer("bob"), Viewer(None)
BATCH = [
    Document("a", "Zebras graze on the savannah in large herds."),
    Document("b", "Owls hunt mice at night in the forest."),
    Document("c", "Salmon swim upstream to spawn in autumn."),
]


class FailingEmbedder(HashingEmbedder):
    """Raises on the n-th call to `encode`: a fault in the middle of a batch."""

    def __init__(self, fail_on_call: int) -> None:
        super().__init__()
        self.calls, self.fail_on_call = 0, fail_on_call

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("embedder died mid-batch")
        return super().encode(texts)


def test_a_fault_while_preparing_the_batch_commits_none_of_it(tmp_path):
    # Ingest embeds the whole batch in one encode call, after every document is chunked.
    p = RAGPipeline(tmp_path, FailingEmbedder(fail_on_call=1))
    with pytest.raises(RuntimeError, match="mid-batch"):
        p.upsert(BATCH)
    assert p.store.documents() == [] and p.store.n_chunks() == 0
    assert p.store.consistency_errors() == []
    p.close()


def test_a_fault_while_writing_the_batch_rolls_back_every_document(tmp_path, monkeypatch):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a", "An older text about zebras.")])
    before = p.store.document("a")
    real, calls = p.store._write_document, []

    def write_then_die(doc, owner):  # the second document's rows fail half-way through
        calls.append(doc.meta["doc_id"])
        if len(calls) == 2:
            real(doc, owner)
            raise OSError("disk full")
        return real(doc, owner)

    monkeypatch.setattr(p.store, "_write_document", write_then_die)
    with pytest.raises(OSError, match="disk full"):
        p.upsert(BATCH)
    monkeypatch.undo()
    assert [d["doc_id"] for d in p.store.documents()] == ["a"]
    assert p.store.document("a") == before  # the update of "a" was rolled back too
    assert p.store.consistency_errors() == []
    p.close()
    reopened = RAGPipeline(tmp_path, HashingEmbedder())
    assert [d["doc_id"] for d in reopened.store.documents()] == ["a"]
    assert reopened.store.consistency_errors() == []
    reopened.close()


BATCH_LOOP = """
import sys
from pathlib import Path
from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline
p = RAGPipeline(Path(sys.argv[1]), HashingEmbedder())
start = len(p.store.documents())
for i in range(start, 100000):
    words = " ".join(f"w{(i * 7 + j) % 997}" for j in range(2000))
    p.upsert([Document(f"b{i}-{j}", f"Batch {i} part {j}. {words}.") for j in range(4)])
    if i == start + 1:
        print("ingesting", flush=True)
"""


def test_sigkill_during_batched_ingest_leaves_only_whole_batches(tmp_path, kill_mid_write):
    folder = tmp_path / "store"
    for delay in (0.2, 0.7, 1.3):  # kills at different points of a batch
        p = kill_mid_write(BATCH_LOOP, folder, delay)
        per_batch: dict[str, int] = {}
        for d in p.store.documents(limit=100_000):
            per_batch[d["doc_id"].split("-")[0]] = per_batch.get(d["doc_id"].split("-")[0], 0) + 1
        assert set(per_batch.values()) == {4}, f"torn batches: {per_batch}"
        p.close()


def test_a_key_retrieves_its_own_and_public_documents_only(tmp_path):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a-secret", "The vault code of Alice is kept in Zurich.")], viewer=ALICE)
    p.upsert([Document("b-secret", "The vault code of Bob is kept in Zurich.")], viewer=BOB)
    p.upsert(
        [Document("pub", "Public notice: the vault is in Zurich.", visibility="public")],
        viewer=BOB,
    )
    q = "Where is the vault code kept in Zurich?"

    def cited(viewer):
        hits, _ = p.retriever.retrieve(q, 10, "hybrid_rerank", viewer)
        return {p.store.chunks([h.chunk_id])[h.chunk_id].doc_id for h in hits}

    assert cited(ALICE) == {"a-secret", "pub"}
    assert cited(BOB) == {"b-secret", "pub"}
    assert cited(ANON) == {"pub"}
    assert cited(Viewer(None, admin=True)) == {"a-secret", "b-secret", "pub"}
    for mode in ("dense", "bm25", "hybrid"):
        hits, _ = p.retriever.retrieve(q, 10, mode, ALICE)
        docs = {p.store.chunks([h.chunk_id])[h.chunk_id].doc_id for h in hits}
        assert "b-secret" not in docs, mode
    assert {c["doc_id"] for c in p.query(q, 10, viewer=ANON).citations} <= {"pub"}
    assert [d["doc_id"] for d in p.store.documents(viewer=ALICE)] == ["a-secret", "pub"]
    p.close()


def test_a_key_deletes_and_overwrites_only_its_own_documents(tmp_path):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a", "Alice's notes on zebras.")], viewer=ALICE)
    assert p.delete("a", viewer=BOB) is False and p.store.document("a") is not None
    with pytest.raises(OwnershipError):
        p.upsert([Document("new", "fine"), Document("a", "Bob overwrites it.")], viewer=BOB)
    assert p.store.document("new") is None, "the whole batch is refused"
    assert p.store.document("a")["owner"] == "alice"
    assert p.delete("a", viewer=Viewer(None, admin=True)) is True
    p.close()


def test_owners_and_visibility_survive_a_restart(tmp_path):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a", "Alice's notes on zebras.")], viewer=ALICE)
    p.close()
    reopened = RAGPipeline(tmp_path, HashingEmbedder())
    hits, _ = reopened.retriever.retrieve("zebras notes", 4, "hybrid", BOB)
    assert hits == [] and reopened.store.document("a")["owner"] == "alice"
    reopened.close()


def test_a_store_from_before_owners_opens_with_its_documents_public(tmp_path):
    import sqlite3

    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("old", "Lighthouses guide ships at night.")])
    p.close()
    db = sqlite3.connect(str(tmp_path / "meta.sqlite"))  # rewrite it as the old schema
    with db:
        db.execute("ALTER TABLE documents DROP COLUMN owner")
        db.execute("ALTER TABLE documents DROP COLUMN visibility")
    db.close()
    reopened = RAGPipeline(tmp_path, HashingEmbedder())
    doc = reopened.store.document("old")
    assert doc["owner"] == "" and doc["visibility"] == "public"
    hits, _ = reopened.retriever.retrieve("lighthouses ships", 4, "hybrid", ANON)
    assert hits and reopened.delete("old", viewer=ALICE) is False
    reopened.close()
