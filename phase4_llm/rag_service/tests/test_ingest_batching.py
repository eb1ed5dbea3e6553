"""Ingest embeds a whole upsert batch in one encode call (full model batches)."""

from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(None, batch_size=64)
        self.calls: list[int] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(len(texts))
        return super().encode(texts)


def test_one_encode_call_per_batch_and_vectors_land_on_their_chunks(tmp_path):
    emb = CountingEmbedder()
    pipe = RAGPipeline(tmp_path / "s", emb)
    docs = [Document(f"d{i}", f"Story {i} is about topic{i}. " * 60) for i in range(5)]
    status = pipe.upsert(docs)
    n_chunks = sum(s["n_chunks"] for s in status)
    assert emb.calls == [n_chunks] and n_chunks > 5
    # Each stored vector is its own chunk's embedding, not a neighbour's.
    ids = sorted(pipe.store.chunk_ids())
    chunks = pipe.store.chunks(ids)
    vecs = pipe.store.embeddings(ids)
    for i in ids:
        expect = HashingEmbedder().encode([chunks[i].title + "\n" + chunks[i].text])[0]
        assert abs(float(vecs[i] @ expect) - 1.0) < 1e-5
    pipe.close()


def test_minilm_encodes_with_its_thread_count_and_restores_the_process_setting():
    import numpy as np
    import torch

    from phase4_llm.rag_service.embedding import MiniLMEmbedder

    seen: list[int] = []

    class FakeModel:  # stands in for the loaded SentenceTransformer
        def encode(self, texts, batch_size, convert_to_numpy):  # type: ignore[no-untyped-def]
            seen.append(torch.get_num_threads())
            return np.ones((len(texts), 384), dtype=np.float32)

    emb = MiniLMEmbedder(None, threads=1, backend="torch")
    emb._model = FakeModel()
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        emb.encode(["a query"])
        assert seen == [1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
