"""Shared fixtures: a pipeline on the model-free hashing embedder in a temporary folder."""

from __future__ import annotations

import pytest

from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.pipeline import Document, RAGPipeline

DOCS = [
    Document(
        "paris",
        "# Paris\n\nThe Eiffel Tower in Paris was completed in 1889 for the World's Fair.\n\n"
        "It is 330 metres tall and was the tallest structure until 1930.",
    ),
    Document(
        "tokyo",
        "Tokyo is the capital of Japan. The Tokyo Skytree opened in 2012 and is 634 metres tall.",
    ),
    Document("bread", "To bake sourdough bread you need flour, water, salt and a starter culture."),
]


@pytest.fixture
def pipe(tmp_path):
    p = RAGPipeline(tmp_path / "store", HashingEmbedder())
    p.upsert(DOCS)
    yield p
    p.close()
