"""Small kit apps that the kit's tests start in-process and as real uvicorn processes.

`uvicorn --factory tests.kit_apps:create_app` reads `KIT_TEST_*` variables (ServiceSettings).
"""

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from pydantic_settings import SettingsConfigDict

from phase0_env.common.service import ServiceSettings, api_key_dependency, create_service_app


class KitTestSettings(ServiceSettings):
    """The kit's settings under the `KIT_TEST_` prefix."""

    model_config = SettingsConfigDict(env_prefix="KIT_TEST_", extra="ignore")
    service_name: str = "kit-test"


class Item(BaseModel):
    name: str
    qty: int


def create_app(settings: ServiceSettings | None = None, **kit_options) -> FastAPI:
    """A kit app with a guarded write route, an open read route and a route that raises."""
    settings = settings or KitTestSettings()
    app = create_service_app(settings, title="kit test", **kit_options)
    guard = api_key_dependency(settings)

    @app.post("/items", dependencies=[Depends(guard)])
    def create(item: Item) -> dict:
        return {"ok": item.name}

    @app.get("/open")
    def read_open() -> dict:
        return {"ok": True}

    @app.get("/boom")
    def boom() -> dict:
        raise RuntimeError("a bug in the handler")

    return app
