"""Demo: scoped keys and rate limits on a real server process, PII redaction, secret scan."""

from __future__ import annotations

import os
from typing import Any

import httpx

from phase0_env.common.testing import run_uvicorn
from phase5_mlops.security.apikeys import KeyStore, issue_key
from phase5_mlops.security.evaluation import evaluate
from phase5_mlops.security.parity import ROOT
from phase5_mlops.security.secrets_scan import scan_repository


def main(quick: bool = False) -> None:
    """Start the service, exercise each scope, redact a message, print the scores."""
    read_key, read_rec = issue_key(("read",), owner="analyst")
    write_key, write_rec = issue_key(("read", "write"), owner="pipeline")
    env = {
        "ROADMAP_SECURITY_KEYS_JSON": KeyStore([read_rec, write_rec]).to_json(),
        "ROADMAP_SECURITY_KEY_BURST": "5",
        "ROADMAP_SECURITY_KEY_RATE_PER_MINUTE": "6",
        "ROADMAP_SECURITY_LOG_LEVEL": "WARNING",
    }
    print("key store (what the server holds; no secrets in it):")
    print("  ", env["ROADMAP_SECURITY_KEYS_JSON"][:110], "...")
    with run_uvicorn("phase5_mlops.security.app:create_app", env={**os.environ, **env}) as srv:

        def status(method: str, path: str, key: str | None, **kw: Any) -> int:
            headers = {"x-api-key": key} if key else {}
            return httpx.request(method, srv.url + path, headers=headers, **kw).status_code

        print("\nscopes on a real server process:")
        print(f"  GET  /items  no key      -> {status('GET', '/items', None)}")
        print(f"  GET  /items  read key    -> {status('GET', '/items', read_key)}")
        body = {"json": {"text": "note"}}
        print(f"  POST /items  read key    -> {status('POST', '/items', read_key, **body)}")
        print(f"  POST /items  write key   -> {status('POST', '/items', write_key, **body)}")
        burst = [status("GET", "/items", read_key) for _ in range(5)]
        print(f"  5 more reads with a burst of 5 -> {burst}")
        reply = httpx.post(
            srv.url + "/redact",
            headers={"x-api-key": write_key},
            json={
                "text": "Refund jane@example.org on card 4111 1111 1111 1111, she called from "
                "+44 20 7946 0958 (IP 203.0.113.9), IBAN GB82WEST12345698765432."
            },
        ).json()
        print(f"\nredacted: {reply['text']}\nfound: {reply['found']}")
    total, per_kind = evaluate()
    print(
        f"\nPII finder on the labelled set: precision {total.precision:.3f}, "
        f"recall {total.recall:.3f}"
    )
    for kind, s in per_kind.items():
        print(f"  {kind:<6} precision {s.precision:.2f} recall {s.recall:.2f}")
    findings = scan_repository(ROOT)
    print(f"\nsecret scan of the repository: {len(findings)} findings")
