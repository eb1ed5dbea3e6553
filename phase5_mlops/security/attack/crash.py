"""kill -9 during writes: RAG ingest batches from concurrent writers, SIGKILL mid-stream.

Writers upsert batches of uniquely named documents through `POST /documents` and record
which batches were acknowledged (200) and which were in flight when the process died. After
each kill the service is started again on the same data folder: every acknowledged document
must be listed, every unacknowledged batch must be all there or all absent, and the store's
own consistency check (opened offline after the service stops) must be empty.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from phase0_env.common.testing import RunningServer, run_uvicorn
from phase5_mlops.security.attack.targets import Target, instance_env
from phase5_mlops.security.attack.verdicts import Verdict, write_verdict

if TYPE_CHECKING:
    from phase5_mlops.security.attack.load import LoadFigures

WORDS = ("river", "granite", "orchid", "falcon", "harbour", "lantern", "meadow", "quartz")


def kill_during_ingest(
    target: Target, workdir: Path, kills: int, *, writers: int = 3, batch: int = 6
) -> list[Verdict]:
    """`kills` rounds of concurrent ingest then SIGKILL; verdicts after each restart."""
    data = workdir / "rag-crash"
    env = {**instance_env(target, workdir, False), "RAG_DATA_DIR": str(data)}
    logs = str(workdir / "logs" / "rag-crash")
    Path(logs).mkdir(parents=True, exist_ok=True)
    acked: dict[str, list[str]] = {}
    unacked: dict[str, list[str]] = {}
    verdicts: list[Verdict] = []
    for round_no in range(kills):
        with run_uvicorn(target.factory, env=env, log_dir=logs, timeout=target.start_timeout) as s:
            stop = threading.Event()
            threads = [
                threading.Thread(
                    target=_writer,
                    args=(s.url, target, f"r{round_no}w{w}", batch, stop, acked, unacked),
                )
                for w in range(writers)
            ]
            for t in threads:
                t.start()
            _wait_for_acks(acked, round_no, minimum=2, timeout=60)
            time.sleep(0.15 * (round_no + 1))  # each round dies at another point of a write
            s.process.kill()
            s.process.wait(timeout=30)
            stop.set()
            for t in threads:
                t.join(timeout=60)
        with run_uvicorn(target.factory, env=env, log_dir=logs, timeout=target.start_timeout) as s:
            present = _list_documents(s.url, target.key_headers)
        errors = _store_errors(data)
        verdicts += write_verdict(
            f"kill -9 during ingest (round {round_no + 1})", acked, unacked, present, errors
        )
    return verdicts


def kill_upstream_under_load(
    router_url: str, victim: RunningServer, target: Target, requests: int, clients: int = 16
) -> list[Verdict]:
    """kill -9 one of the router's two upstreams while load runs through the router, then
    run the same load again: the router must not pass the dead upstream's failure on."""
    from phase5_mlops.security.attack.load import run_load

    # Earlier probes (schemathesis with a valid key) may have moved the split: set it back.
    httpx.put(
        router_url + "/router/weights", json={"green": 50}, headers=target.key_headers, timeout=30
    ).raise_for_status()
    out: dict[str, Any] = {}

    def during() -> None:
        out["during"] = run_load(router_url, target.load, {}, requests=requests, clients=clients)

    worker = threading.Thread(target=during)
    worker.start()
    time.sleep(0.5)
    victim.process.kill()
    victim.process.wait(timeout=30)
    worker.join()
    after = run_load(router_url, target.load, {}, requests=requests, clients=clients)
    return [
        upstream_kill_verdict("during", out["during"], clients),
        upstream_kill_verdict("after", after, clients),
    ]


def upstream_kill_verdict(phase: str, figures: LoadFigures, clients: int) -> Verdict:
    """The verdict of one load run `phase` ("during" or "after") the kill of an upstream.

    A POST in flight on the killed upstream may have been delivered, so the router answers it
    502 rather than sending it twice: during the kill, at most one such request per client,
    each a 502 from the router (no hang, no other 5xx). Every request sent after the kill must
    succeed. The in-flight 502s are the intended answer, not a server error: a passed run
    reports them as `in_flight_502` and counts no 5xx (the suite's total must be 0).
    """
    n = figures.server_errors + figures.transport_errors
    in_flight_502 = figures.statuses.get("502", 0)
    if phase == "during":
        allowed = figures.transport_errors == 0 and n == in_flight_502 and n <= clients
    else:
        allowed = n == 0
    shown = figures.to_dict()
    if phase == "during" and allowed:
        shown["in_flight_502"], shown["5xx"] = in_flight_502, 0
    return Verdict(
        f"kill -9 of an upstream: load {phase} the kill",
        allowed,
        "5xx" if not allowed else "",
        f"{n} of {figures.requests} requests failed ({figures.statuses})" if n else "",
        shown,
    )


def _writer(
    url: str,
    target: Target,
    tag: str,
    batch: int,
    stop: threading.Event,
    acked: dict[str, list[str]],
    unacked: dict[str, list[str]],
) -> None:
    """Upsert batches until the server dies; a batch without an answer is unacknowledged."""
    with httpx.Client(base_url=url, timeout=30, headers=target.key_headers) as http:
        i = 0
        while not stop.is_set():
            bid = f"{tag}b{i}"
            ids = [f"{bid}d{j}" for j in range(batch)]
            docs = [{"id": d, "text": _text(d)} for d in ids]
            unacked[bid] = ids
            try:
                resp = http.post("/documents", json={"documents": docs})
            except httpx.HTTPError:
                return  # the process is gone: this batch stays unacknowledged
            del unacked[bid]
            if resp.status_code == 200:
                acked[bid] = ids
            i += 1


def _text(doc_id: str) -> str:
    body = " ".join(WORDS[(sum(map(ord, doc_id)) + k) % len(WORDS)] for k in range(200))
    return f"Document {doc_id}. {body}."


def _wait_for_acks(
    acked: dict[str, list[str]], round_no: int, minimum: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while sum(b.startswith(f"r{round_no}") for b in list(acked)) < minimum:
        if time.monotonic() > deadline:
            raise TimeoutError("no ingest batch was acknowledged before the kill")
        time.sleep(0.05)


def _list_documents(url: str, headers: dict[str, str]) -> list[str]:
    ids: list[str] = []
    with httpx.Client(base_url=url, timeout=60, headers=headers) as http:
        while True:
            page = http.get("/documents", params={"limit": 1000, "offset": len(ids)})
            page.raise_for_status()
            docs = page.json()["documents"]
            ids += [d["doc_id"] for d in docs]
            if len(docs) < 1000:
                return ids


def _store_errors(data: Path) -> list[str]:
    """The store's own consistency check, with the service stopped."""
    from phase4_llm.rag_service.embedding import HashingEmbedder
    from phase4_llm.rag_service.pipeline import RAGPipeline

    pipe = RAGPipeline(data, HashingEmbedder())
    try:
        return [str(e) for e in pipe.store.consistency_errors()]
    finally:
        pipe.close()
