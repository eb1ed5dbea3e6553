"""Shared fixtures: a pipeline on the model-free hashing embedder in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


@pytest.fixture
def kill_mid_write() -> Callable[[str, Path, float], RAGPipeline]:
    """Run an ingest script (argv[1] = store folder) until it prints "ingesting", SIGKILL it
    `delay` seconds later, and reopen the store, which must be consistent."""

    def run(script: str, folder: Path, delay: float) -> RAGPipeline:
        proc = subprocess.Popen([sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ingesting"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        reopened = RAGPipeline(folder, HashingEmbedder())
        assert reopened.store.consistency_errors() == []
        return reopened

    return run
