"""The hello service: `create_app(settings)` builds it on the kit; settings come from `HELLO_*`.

Run it with `uvicorn --factory phase0_env.hello_service.app:create_app`.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from phase0_env.common.service import ServiceSettings, api_key_dependency, create_service_app

NAME_MAX = 64
ECHO_MAX_CHARS = 4096
SLOW_MAX_MS = 2000  # bounded so a client cannot hold a worker for long


class HelloSettings(ServiceSettings):
    """Settings of the hello service, read from `HELLO_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="HELLO_", extra="ignore")

    service_name: str = "hello"
    greeting: str = "Hello"
    max_body_bytes: int = 16_384  # /echo takes short messages; anything bigger is a 413


class EchoIn(BaseModel):
    """The body of `POST /echo`."""

    message: str = Field(min_length=1, max_length=ECHO_MAX_CHARS)


class EchoOut(BaseModel):
    """What `POST /echo` returns."""

    message: str
    length: int


def create_app(settings: HelloSettings | None = None) -> FastAPI:
    """The hello service app; without `settings` they are read from the environment."""
    settings = settings or HelloSettings()
    app = create_service_app(
        settings,
        title="hello",
        description="Hello-world service on the roadmap service kit.",
    )
    require_key = api_key_dependency(settings)

    @app.get("/hello", tags=["hello"], summary="Greet someone")
    def hello(
        name: Annotated[str, Query(min_length=1, max_length=NAME_MAX)] = "world",
    ) -> dict[str, str]:
        return {"message": f"{settings.greeting}, {name}!"}

    @app.post(
        "/echo",
        tags=["hello"],
        summary="Echo a message (needs X-API-Key)",
        dependencies=[Depends(require_key)],
    )
    def echo(body: EchoIn) -> EchoOut:
        return EchoOut(message=body.message, length=len(body.message))

    @app.get("/slow", tags=["ops"], summary="Answer after `ms` milliseconds (shutdown drills)")
    async def slow(ms: Annotated[int, Query(ge=0, le=SLOW_MAX_MS)] = 100) -> dict[str, int]:
        await asyncio.sleep(ms / 1000)
        return {"slept_ms": ms}

    return app
