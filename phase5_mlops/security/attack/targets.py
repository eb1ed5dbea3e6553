"""The services under attack: how each is started as a real process, and where to hit it.

Every service runs twice: a main instance (kit rate limit off, so load runs measure the
service, not the limiter) and a limited instance (the kit's per-client limit on) that only the
rate-limit bypass probe talks to. The deploy router runs in front of two tabular_api upstreams.
Ports are free loopback ports (`run_uvicorn`); every process is stopped on exit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase0_env.common.testing import RunningServer, run_uvicorn

# Kit limit of the limited instance: a bucket of LIMIT requests refilled at LIMIT per minute.
LIMIT_PER_MINUTE = 20
KEY = "attack-valid-key"
SERVING_KEY = "attack-serving-key"


@dataclass(frozen=True)
class Call:
    """One request shape: method, path, JSON body, query params, and whether it needs a key."""

    method: str
    path: str
    body: Any = None
    params: dict[str, Any] | None = None
    needs_key: bool = False


@dataclass
class Target:
    """One service: its factory, environment, valid key headers and the calls the probes use."""

    name: str
    factory: str
    prefix: str  # the settings' environment prefix
    readme: str
    key_headers: dict[str, str]
    load: Call
    calls: list[Call]  # endpoints with bodies or parameters, for the bad-input catalogue
    protected: Call  # needs a key: forged keys must never pass
    limit_probe: Call  # a cheap call the bypass probe repeats
    base_env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 90.0
    load_cost: int = 1  # divides the profile's load counts (serving generates tokens)
    bearer: bool = False  # keys travel as `Authorization: Bearer` (serving)


@dataclass
class Deployment:
    """The running processes of one target."""

    main: RunningServer
    limited: RunningServer
    extra: dict[str, RunningServer] = field(default_factory=dict)


def penguin_record() -> dict[str, Any]:
    """One real row of the penguins table as the tabular API's JSON record."""
    from phase2_tabular.common.tables import load_table

    df, spec = load_table("penguins")
    row = df[spec.features].iloc[0].to_dict()
    return {k: (None if v != v else v) for k, v in row.items()}


def security_keys() -> tuple[str, str]:
    """A fresh admin key and the key-store JSON the security service reads."""
    from phase5_mlops.security.apikeys import KeyStore, issue_key

    key, record = issue_key(("admin",), owner="attack")
    return key, KeyStore([record]).to_json()


def build_targets(workdir: Path) -> dict[str, Target]:
    """Every service target; trains the tabular artifact and issues keys under `workdir`."""
    from phase2_tabular.tabular_api.train import train

    record = penguin_record()
    artifact = workdir / "tabular-model"
    if not (artifact / "model_card.json").exists():
        train(artifact, n_splits=2, seed=0)
    sec_key, sec_store = security_keys()
    quiet = {"UVICORN_ACCESS_LOG": "false", "OMP_NUM_THREADS": "1"}
    keys_json = json.dumps([KEY])
    tabular_env = {
        "TABULAR_ARTIFACT_DIR": str(artifact),
        "TABULAR_PREDICTION_LOG": "",
        "TABULAR_API_KEYS": keys_json,
        "TABULAR_MAX_BATCH": "16",
    }
    predict = Call("POST", "/predict", record)
    query = Call("POST", "/query", {"query": "When was the Eiffel Tower completed?", "k": 3})
    completion = {"model": "tiny-gpt", "prompt": "Hello there", "max_tokens": 4, "temperature": 0}
    chat = {"model": "tiny-gpt", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}
    text = {"text": "Mail ada@example.com or call +44 20 7946 0958."}
    targets = [
        Target(
            "hello_service",
            "phase0_env.hello_service.app:create_app",
            "HELLO_",
            "phase0_env/hello_service/README.md",
            {"X-API-Key": KEY},
            Call("GET", "/hello", params={"name": "load"}),
            [
                Call("POST", "/echo", {"message": "hi"}, needs_key=True),
                Call("GET", "/hello", params={"name": "Ada"}),
                Call("GET", "/slow", params={"ms": 1}),
            ],
            Call("POST", "/echo", {"message": "hi"}, needs_key=True),
            Call("GET", "/hello"),
            {"HELLO_API_KEYS": keys_json, **quiet},
        ),
        Target(
            "tabular_api",
            "phase2_tabular.tabular_api.app:create_app",
            "TABULAR_",
            "phase2_tabular/tabular_api/README.md",
            {"X-API-Key": KEY},
            predict,
            [predict, Call("POST", "/predict/batch", {"records": [record, record]})],
            Call("POST", "/admin/reload", needs_key=True),
            Call("GET", "/model"),
            {**tabular_env, **quiet},
        ),
        Target(
            "rag_service",
            "phase4_llm.rag_service.service:create_app",
            "RAG_",
            "phase4_llm/rag_service/README.md",
            {"X-API-Key": KEY},
            query,
            [
                query,
                Call("POST", "/documents", {"documents": [SEED_DOCS[0]]}, needs_key=True),
                Call("GET", "/documents", params={"limit": 5, "offset": 0}),
            ],
            Call("POST", "/documents", {"documents": [SEED_DOCS[1]]}, needs_key=True),
            Call("GET", "/documents"),
            {
                "RAG_EMBEDDER": "hashing",
                "RAG_EMBEDDING_CACHE": "",
                "RAG_API_KEYS": keys_json,
                **quiet,
            },
        ),
        Target(
            "serving",
            "phase4_llm.serving.service:create_app",
            "SERVING_",
            "phase4_llm/serving/README.md",
            {"Authorization": f"Bearer {SERVING_KEY}"},
            Call("POST", "/v1/completions", completion, needs_key=True),
            [
                Call("POST", "/v1/completions", completion, needs_key=True),
                Call("POST", "/v1/chat/completions", chat, needs_key=True),
            ],
            Call("POST", "/v1/completions", completion, needs_key=True),
            Call("GET", "/v1/models"),
            {
                "SERVING_MODEL": "tiny-gpt",
                "SERVING_MAX_MODEL_LEN": "256",
                "SERVING_KV_CACHE_BUDGET_MB": "2",
                "SERVING_API_KEYS": json.dumps([SERVING_KEY]),
                **quiet,
            },
            start_timeout=180.0,
            load_cost=4,
            bearer=True,
        ),
        Target(
            "security",
            "phase5_mlops.security.app:create_app",
            "ROADMAP_SECURITY_",
            "phase5_mlops/security/README.md",
            {"X-API-Key": sec_key},
            Call("POST", "/redact", text, needs_key=True),
            [
                Call("POST", "/redact", text, needs_key=True),
                Call("POST", "/screen", text, needs_key=True),
                Call("POST", "/items", {"text": "a shopping list"}, needs_key=True),
            ],
            Call("GET", "/items", needs_key=True),
            Call("GET", "/items", needs_key=True),
            {
                "ROADMAP_SECURITY_KEYS_JSON": sec_store,
                # The per-key limit is the service's own feature; load runs measure the rest.
                "ROADMAP_SECURITY_KEY_RATE_PER_MINUTE": "100000000",
                "ROADMAP_SECURITY_KEY_BURST": "100000000",
                **quiet,
            },
        ),
        Target(
            "deploy_router",
            "phase5_mlops.deploy.router:create_router_app",
            "DEPLOY_ROUTER_",
            "phase5_mlops/deploy/README.md",
            {"X-API-Key": KEY},
            predict,
            [predict, Call("PUT", "/router/weights", {"green": 50}, needs_key=True)],
            Call("PUT", "/router/weights", {"green": 50}, needs_key=True),
            Call("GET", "/router/state"),
            {"DEPLOY_ROUTER_API_KEYS": keys_json, "DEPLOY_ROUTER_GREEN_WEIGHT": "50", **quiet},
        ),
    ]
    for t in targets:
        t.base_env.setdefault(f"{t.prefix}LOG_LEVEL", "WARNING")
    targets[-1].base_env["_UPSTREAM_ENV"] = json.dumps({**tabular_env, **quiet})
    return {t.name: t for t in targets}


SEED_DOCS = [
    {
        "id": "paris",
        "text": "The Eiffel Tower in Paris was completed in 1889 for the World's Fair.",
    },
    {"id": "tokyo", "text": "The Tokyo Skytree opened in 2012 and is 634 metres tall."},
]


def instance_env(target: Target, workdir: Path, limited: bool) -> dict[str, str]:
    """The environment of the main or the limited instance of `target`."""
    env = {k: v for k, v in target.base_env.items() if not k.startswith("_")}
    tag = "limited" if limited else "main"
    if target.name == "rag_service":
        env["RAG_DATA_DIR"] = str(workdir / f"rag-{tag}")
    if limited:
        env[f"{target.prefix}RATE_LIMIT_PER_MINUTE"] = str(LIMIT_PER_MINUTE)
        env[f"{target.prefix}RATE_LIMIT_BURST"] = str(LIMIT_PER_MINUTE)
    return env


@contextmanager
def deploy(target: Target, workdir: Path) -> Iterator[Deployment]:
    """Start the target's processes (upstreams first for the router); stop all on exit."""
    logs = workdir / "logs" / target.name
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        extra: dict[str, RunningServer] = {}
        routed: dict[str, str] = {}
        if target.name == "deploy_router":
            upstream_env = json.loads(target.base_env["_UPSTREAM_ENV"])
            ups = start_parallel(
                [("phase2_tabular.tabular_api.app:create_app", upstream_env)] * 2,
                stack,
                str(logs),
                target.start_timeout,
            )
            extra = {"blue": ups[0], "green": ups[1]}
            routed = {"DEPLOY_ROUTER_BLUE_URL": ups[0].url, "DEPLOY_ROUTER_GREEN_URL": ups[1].url}
        main, limited = start_parallel(
            [
                (target.factory, {**instance_env(target, workdir, False), **routed}),
                (target.factory, {**instance_env(target, workdir, True), **routed}),
            ],
            stack,
            str(logs),
            target.start_timeout,
        )
        yield Deployment(main, limited, extra)


def start_parallel(
    specs: list[tuple[str, dict[str, str]]], stack: ExitStack, log_dir: str, timeout: float
) -> list[RunningServer]:
    """Start several uvicorn processes at once; each is registered on `stack` for stopping."""
    managers = [run_uvicorn(f, env=e, log_dir=log_dir, timeout=timeout) for f, e in specs]
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(m.__enter__) for m in managers]
    for manager, future in zip(managers, futures, strict=True):
        if future.exception() is None:
            stack.push(manager)
    return [f.result() for f in futures]
