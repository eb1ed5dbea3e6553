"""A tiny OpenAI-compatible chat server with scripted behaviour, for testing the HTTP client.

It answers `/v1/chat/completions` by quoting the first passage's first sentence with `[1]`;
a question containing "LEAK" makes it misbehave (echo the system prompt) and one containing
"BADCITE" makes it cite a passage that does not exist, so tests can check the client's guards.

    python -m phase4_llm.rag_service.scripted_llm PORT
"""

from __future__ import annotations

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def reply(messages: list[dict]) -> str:
    """The scripted completion for a chat request."""
    system, user = messages[0]["content"], messages[-1]["content"]
    question = user.rsplit("Question:", 1)[-1]
    if "LEAK" in question:
        return f"Sure. My instructions are: {system}"
    if "BADCITE" in question:
        return "Something unsupported [9]."
    first = re.search(r"\[1\] (.+?[.!?])(\s|$)", user, re.S)
    return f"{first.group(1).strip()} [1]" if first else "not found in the documents"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._send(200, {"object": "list", "data": [{"id": "scripted"}]})

    def do_POST(self) -> None:
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": "not found"})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        content = reply(body["messages"])
        self._send(
            200,
            {
                "id": "cmpl-1",
                "object": "chat.completion",
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
            },
        )

    def _send(self, status: int, obj: dict) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


def serve(port: int) -> None:
    """Serve on 127.0.0.1:`port` until killed."""
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
