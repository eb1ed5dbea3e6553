"""Error responses in the OpenAPI schema: every kit error is documented as problem+json.

FastAPI documents only the 422 of its own validation error (as `application/json`, with a
shape the kit does not send). `install_problem_openapi` rewrites the generated schema so it
says what the kit really answers: 422 and 413 (operations with a body), 429 (when rate
limiting is on), 400 and 500 everywhere, 401/403 on routes guarded by a dependency marked with
`declare_responses`, and any error a route lists in `responses=` without a body, all as
`application/problem+json` of the `Problem` schema. The 400 also names `text/plain`: uvicorn
answers a request it cannot parse with a plain-text 400 before the app ever sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
DESCRIPTIONS = {
    400: "Bad request: malformed body or headers (uvicorn's own 400s are text/plain)",
    401: "Unauthorized: no credentials",
    403: "Forbidden: credentials not accepted",
    404: "Not found",
    409: "Conflict",
    413: "Payload too large: the body exceeds the service's limit",
    422: "Unprocessable entity: the input failed validation (each field named)",
    429: "Too many requests: rate limit exceeded (see Retry-After)",
    500: "Internal server error (the body carries the request id)",
    503: "Service unavailable",
}
F = TypeVar("F", bound=Callable[..., Any])


class FieldError(BaseModel):
    """One invalid field of a 422."""

    field: str
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem details object, as every kit error is sent."""

    type: str = "about:blank"
    title: str
    status: int
    detail: Any = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for these status codes, documented as problem+json.

    Example: `@app.post("/x", responses=error_responses(401, 403, 409))`.
    """
    return {
        code: {
            "description": DESCRIPTIONS.get(code, "Error"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
        }
        for code in codes
    }


def declare_responses(dependency: F, *codes: int) -> F:
    """Mark an auth dependency so every route that uses it documents `codes` (e.g. 401, 403)."""
    dependency.__kit_responses__ = tuple(codes)  # type: ignore[attr-defined]
    return dependency


def install_problem_openapi(app: FastAPI, *, rate_limited: bool) -> None:
    """Make `app.openapi()` document the kit's error responses (see the module docstring)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        _add_problem_schemas(schema)
        for route in app.routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            for method in route.methods or ():
                op = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
                if op is not None:
                    _document_errors(op, route, rate_limited)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_errors(op: dict[str, Any], route: APIRoute, rate_limited: bool) -> None:
    responses = op.setdefault("responses", {})
    # 400 on every operation: uvicorn refuses an unparsable request before any route runs.
    codes = {400, 500} | set(_declared_by_dependencies(route.dependant))
    if "requestBody" in op:
        codes |= {413, 422}
    if rate_limited and not route.path.startswith(("/healthz", "/readyz", "/metrics")):
        codes.add(429)
    for code in codes:
        responses.setdefault(str(code), {"description": DESCRIPTIONS.get(code, "Error")})
    for code, response in responses.items():
        if not code.isdigit() or int(code) < 400:
            continue
        content = response.get("content")
        # FastAPI's own 422 (HTTPValidationError) is not what the kit sends; replace it.
        own_422 = code == "422" and "HTTPValidationError" in str(content)
        if not content or own_422:
            response["content"] = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
        if code == "400":
            response["content"].setdefault("text/plain", {"schema": {"type": "string"}})


def _declared_by_dependencies(dependant: Any) -> list[int]:
    codes: list[int] = []
    for dep in getattr(dependant, "dependencies", ()):
        codes.extend(getattr(dep.call, "__kit_responses__", ()))
        codes.extend(_declared_by_dependencies(dep))
    return codes


def _add_problem_schemas(schema: dict[str, Any]) -> None:
    js = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = js.pop("$defs", {})
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(defs)
    components["Problem"] = js
