"""Killing the process during an ingest (SIGKILL) leaves a store that loads and is consistent."""

import json
from pathlib import Path

from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline

INGEST_LOOP = """
import sys
from pathlib import Path
from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline
p = RAGPipeline(Path(sys.argv[1]), HashingEmbedder())
for i in range(100000):
    words = " ".join(f"w{(i * 7 + j) % 997}" for j in range(300))
    p.upsert([Document(f"doc{i % 40}", f"Document {i}. {words}.")])
    if i == 3:
        print("ingesting", flush=True)
"""


def test_sigkill_during_ingest_leaves_a_consistent_store(tmp_path, kill_mid_write):
    folder = tmp_path / "store"
    for delay in (0.3, 0.9):  # two kills at different points of the write cycle
        p = kill_mid_write(INGEST_LOOP, folder, delay)
        docs = p.store.documents()
        assert docs and all(d["n_chunks"] > 0 for d in docs)
        assert p.query("Document w5 w12").latency_ms["total"] >= 0
        p.close()


def test_crash_between_commit_and_index_save_is_repaired_on_open(tmp_path, monkeypatch):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a", "Zebras graze on the savannah."), Document("b", "Owls hunt at night.")])
    monkeypatch.setattr(p.store, "persist", lambda: None)  # the process "dies" before saving
    p.delete("a")
    p.close()
    manifest = json.loads((Path(tmp_path) / "manifest.json").read_text())
    reopened = RAGPipeline(tmp_path, HashingEmbedder())
    assert reopened.store.rebuilt, f"stale manifest {manifest} must trigger a rebuild"
    assert reopened.store.consistency_errors() == []
    assert all(c["doc_id"] != "a" for c in reopened.query("Where do zebras graze?").citations)
    reopened.close()


def test_torn_index_file_is_rebuilt_from_sqlite(tmp_path):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    p.upsert([Document("a", "Owls hunt at night in the forest.")])
    p.close()
    (Path(tmp_path) / "faiss.index").write_bytes(b"torn")
    reopened = RAGPipeline(tmp_path, HashingEmbedder())
    assert reopened.store.rebuilt and reopened.store.consistency_errors() == []
    assert reopened.query("When do owls hunt?").citations[0]["doc_id"] == "a"
    reopened.close()
