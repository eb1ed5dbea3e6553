"""Question-sentence cosines: one per sentence in order, each sentence embedded once."""

import numpy as np

from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.sentence_sim import SentenceSimilarity


def test_one_cosine_per_sentence_equal_to_the_embedders():
    emb = HashingEmbedder()
    sents = ["The mill shut in 1990.", "Its owner moved to Leeds.", "Rain fell all week."]
    sim = SentenceSimilarity(emb.encode)
    sims = sim.sims("When did the mill shut?", sents)
    assert sim.max_cosine("When did the mill shut?", sents) == max(sims)
    expected = emb.encode(sents) @ emb.encode(["When did the mill shut?"])[0]
    assert np.allclose(sims, expected, atol=1e-6)
    assert int(np.argmax(sims)) == 0


def test_sentences_are_embedded_once_across_queries():
    emb = HashingEmbedder()
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return emb.encode(texts)

    s = SentenceSimilarity(encode, max_entries=10)
    ctx = ["The mill shut in 1990.", "Its owner moved to Leeds."]
    s.sims("When did the mill shut?", ctx)
    s.sims("Where did the owner move?", ctx)
    sentence_calls = [c for c in calls if len(c) > 1 or c[0].endswith(".")]
    assert sentence_calls == [["The mill shut in 1990.", "Its owner moved to Leeds."]]
