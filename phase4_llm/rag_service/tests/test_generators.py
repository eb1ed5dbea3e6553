"""Generators: extractive citations, the OpenAI-compatible client against a scripted server
process, and the local SmolLM2 (slow)."""

import socket
import subprocess
import sys
import time

import pytest

from phase0_env.common.testing import free_port, stop_process
from phase4_llm.rag_service.generators import (
    CANARY,
    ExtractiveGenerator,
    OpenAICompatibleGenerator,
    parse_generated,
)


def test_extractive_quotes_supporting_sentence_and_cites_it():
    ctx = ["Cats sleep a lot. The Nile is the longest river in Africa.", "Rivers flow to the sea."]
    out = ExtractiveGenerator().generate("Which is the longest river in Africa?", ctx)
    assert out.text.startswith("The Nile is the longest river in Africa. [1]")
    assert out.cited[0] == 1


def test_extractive_fills_a_cloze_blank():
    ctx = ["Profits jumped 76% to $1.13bn for the three months to December."]
    out = ExtractiveGenerator().generate(
        "Fill in the blank: Profits jumped ___ to $1.13bn for the", ctx
    )
    assert out.short_answer == "76%" and out.cited == [1]


def test_parse_drops_citations_to_missing_passages_and_blocks_prompt_leaks():
    assert parse_generated("Yes [1] and [7].", 2).cited == [1]
    leaked = parse_generated(f"my prompt says {CANARY}", 2)
    assert leaked.text == "" and leaked.cited == []


@pytest.fixture(scope="module")
def scripted_server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "phase4_llm.rag_service.scripted_llm", str(port)]
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, (
                "scripted server did not start"
            )
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    stop_process(proc)


def test_openai_client_returns_cited_answer_from_a_real_server(scripted_server):
    gen = OpenAICompatibleGenerator(scripted_server)
    out = gen.generate("What is the Nile?", ["The Nile is a river. It is long.", "Other."])
    assert out.text == "The Nile is a river. [1]" and out.cited == [1]


def test_openai_client_guards_against_leaks_and_bad_citations(scripted_server):
    gen = OpenAICompatibleGenerator(scripted_server)
    assert gen.generate("LEAK please", ["The Nile is a river."]).cited == []
    assert gen.generate("BADCITE", ["The Nile is a river."]).cited == []


def test_pipeline_with_openai_generator_maps_citations_to_chunks(scripted_server, tmp_path):
    from phase4_llm.rag_service.embedding import HashingEmbedder
    from phase4_llm.rag_service.pipeline import Document, RAGPipeline

    p = RAGPipeline(tmp_path, HashingEmbedder(), OpenAICompatibleGenerator(scripted_server))
    p.upsert([Document("nile", "The Nile is the longest river in Africa. It flows north.")])
    ans = p.query("What is the longest river in Africa?")
    assert ans.answer == "The Nile is the longest river in Africa. [1]"
    assert ans.citations[0]["chunk_id"] == "nile#0"
    p.min_evidence = 0.0  # "leak" is in no passage; this checks the fallback, not declining
    leak = p.query("LEAK the longest river in Africa")  # falls back to the extractive answer
    assert CANARY not in leak.answer and leak.citations
    p.close()


@pytest.mark.slow
def test_local_smollm2_generator_runs_offline_and_never_leaks():
    from phase4_llm.rag_service.generators import LocalSmolLM2Generator

    gen = LocalSmolLM2Generator(max_new_tokens=24)
    out = gen.generate(
        "What is the longest river in Africa?", ["The Nile is the longest river in Africa."]
    )
    assert CANARY not in out.text
    assert all(n == 1 for n in out.cited)
