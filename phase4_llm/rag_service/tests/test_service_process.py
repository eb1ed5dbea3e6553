"""The service as a real uvicorn process: ingest, query, delete, restart; concurrent load."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from phase0_env.common.testing import metric_sample, run_uvicorn

FACTORY = "phase4_llm.rag_service.service:create_app"
KEY = {"x-api-key": "k-real"}
DOCS = [
    {
        "id": "paris",
        "text": "The Eiffel Tower in Paris was completed in 1889 for the World's Fair.",
    },
    {
        "id": "tokyo",
        "text": "<html><body><h1>Tokyo</h1><p>The Tokyo Skytree opened in 2012.</p></body></html>",
        "format": "html",
    },
]


def _env(tmp_path):
    return {
        "RAG_DATA_DIR": str(tmp_path / "store"),
        "RAG_EMBEDDER": "hashing",
        "RAG_EMBEDDING_CACHE": str(tmp_path / "emb.sqlite"),
        "RAG_API_KEYS": '["k-real"]',
        "RAG_LOG_LEVEL": "WARNING",
    }


@pytest.mark.service
def test_real_process_serves_cited_answers_and_deletes_survive_restart(tmp_path):
    env = _env(tmp_path)
    with run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server:
        r = httpx.post(server.url + "/documents", headers=KEY, json={"documents": DOCS}, timeout=30)
        assert r.status_code == 200, r.text
        ans = httpx.post(
            server.url + "/query",
            headers=KEY,
            json={"query": "When did the Tokyo Skytree open?"},
            timeout=30,
        ).json()
        assert "2012" in ans["answer"] and ans["citations"][0]["doc_id"] == "tokyo"
        assert (
            httpx.delete(server.url + "/documents/tokyo", headers=KEY, timeout=30).status_code
            == 200
        )
    with run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server:
        docs = httpx.get(server.url + "/documents", headers=KEY, timeout=30).json()["documents"]
        assert [d["doc_id"] for d in docs] == ["paris"]
        ans = httpx.post(
            server.url + "/query",
            headers=KEY,
            json={"query": "When did the Tokyo Skytree open?"},
            timeout=30,
        ).json()
        assert all(c["doc_id"] != "tokyo" for c in ans["citations"])


@pytest.mark.service
def test_bounded_concurrent_load_has_zero_errors(tmp_path):
    with run_uvicorn(FACTORY, env=_env(tmp_path), log_dir=str(tmp_path)) as server:
        httpx.post(server.url + "/documents", headers=KEY, json={"documents": DOCS}, timeout=30)
        questions = [
            "When was the Eiffel Tower completed?",
            "When did the Tokyo Skytree open?",
        ] * 40

        def ask(q: str) -> int:
            r = httpx.post(server.url + "/query", headers=KEY, json={"query": q}, timeout=60)
            return r.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(ask, questions))
        assert codes.count(200) == len(questions), {c: codes.count(c) for c in set(codes)}
        metrics = httpx.get(server.url + "/metrics", timeout=30).text
        # Every query was observed once by the stage histogram (a count, not a duration).
        observed = metric_sample(metrics, "rag_stage_seconds_count", {"stage": "total"})
        assert observed == len(questions)
