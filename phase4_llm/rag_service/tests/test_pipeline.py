"""Ingest freshness, deletions (also after restart), citations and 'not found'."""

import numpy as np
import pytest

from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import NOT_FOUND, Document, RAGPipeline
from phase4_llm.rag_service.retrieval import MODES


def test_answer_cites_chunk_ids_that_hold_the_quoted_sentence(pipe):
    ans = pipe.query("When was the Eiffel Tower completed?")
    assert ans.found and "1889" in ans.answer
    assert ans.citations[0]["chunk_id"] == "paris#0"
    quoted = ans.answer.split(" [")[0]
    assert (
        quoted in pipe.store.chunks(list(pipe.store.chunk_ids()))[min(pipe.store.chunk_ids())].text
    )
    assert {"embed", "dense", "bm25", "fuse", "rerank", "generate", "total"} <= set(ans.latency_ms)


@pytest.mark.parametrize("mode", MODES)
def test_every_retrieval_mode_finds_the_right_document(pipe, mode):
    ans = pipe.query("How tall is the Tokyo Skytree?", mode=mode)
    assert ans.citations and ans.citations[0]["doc_id"] == "tokyo"


def test_low_confidence_query_is_answered_not_found(pipe):
    ans = pipe.query("Who won the chess olympiad in Budapest?")
    assert ans.answer == NOT_FOUND and ans.citations == [] and not ans.found


def test_reingesting_unchanged_document_is_a_noop(pipe):
    before = pipe.store.chunk_ids()
    generation = pipe.store._state("generation")
    status = pipe.upsert(
        [
            Document(
                "bread",
                "To bake sourdough bread you need flour, water, salt and a starter culture.",
            )
        ]
    )
    assert status[0]["status"] == "unchanged"
    assert pipe.store.chunk_ids() == before and pipe.store._state("generation") == generation


def test_changed_document_replaces_its_chunks(pipe):
    pipe.upsert([Document("bread", "Rye bread is dense and dark, baked with caraway seeds.")])
    texts = [c.text for c in pipe.store.chunks(sorted(pipe.store.chunk_ids())).values()]
    assert not any("sourdough" in t for t in texts), "the old version's chunks must be gone"
    assert pipe.query("sourdough starter culture flour").citations == []
    ans = pipe.query("Which seeds go into rye bread?")
    assert ans.citations[0]["doc_id"] == "bread" and "caraway" in ans.answer
    assert not pipe.store.consistency_errors()


def test_deleted_document_is_never_retrieved_or_cited_also_after_restart(tmp_path):
    folder = tmp_path / "s"
    p = RAGPipeline(folder, HashingEmbedder())
    p.upsert(
        [
            Document("a", "Zebras graze on the savannah near the river Mara."),
            Document("b", "Penguins huddle together on Antarctic ice in winter."),
        ]
    )
    assert p.query("Where do zebras graze?").citations[0]["doc_id"] == "a"
    assert p.delete("a") and not p.delete("a")

    def never_a(pipeline):
        for mode in MODES:
            hits, _ = pipeline.retriever.retrieve(
                "zebras graze savannah river Mara", k=10, mode=mode
            )
            assert all(pipeline.store.chunks([h.chunk_id])[h.chunk_id].doc_id != "a" for h in hits)
        assert all(c["doc_id"] != "a" for c in pipeline.query("Where do zebras graze?").citations)
        assert [d["doc_id"] for d in pipeline.store.documents()] == ["b"]
        assert not pipeline.store.consistency_errors()

    never_a(p)
    p.close()
    restarted = RAGPipeline(folder, HashingEmbedder())
    assert not restarted.store.rebuilt, "a clean shutdown should not need an index rebuild"
    never_a(restarted)
    restarted.close()


def test_embedding_cache_is_keyed_by_content_hash(tmp_path):
    emb = HashingEmbedder(tmp_path / "cache.sqlite")
    first = emb.encode(["alpha beta", "gamma"])
    assert (emb.cache.hits, emb.cache.misses) == (0, 2)
    again = HashingEmbedder(tmp_path / "cache.sqlite").encode(["gamma", "alpha beta"])
    np.testing.assert_array_equal(again, first[::-1])
    emb2 = HashingEmbedder(tmp_path / "cache.sqlite")
    emb2.encode(["gamma", "new text"])
    assert (emb2.cache.hits, emb2.cache.misses) == (1, 1)


def test_store_refuses_a_different_embedder(tmp_path):
    from phase4_llm.rag_service.store import DocumentStore

    DocumentStore(tmp_path, "model-a").close()
    with pytest.raises(ValueError, match="model-a"):
        DocumentStore(tmp_path, "model-b")


def test_bad_format_is_refused(tmp_path):
    p = RAGPipeline(tmp_path, HashingEmbedder())
    with pytest.raises(ValueError, match="unknown format"):
        p.upsert([Document("x", "text", format="pdf")])
    assert p.store.documents() == []
