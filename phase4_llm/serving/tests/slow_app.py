"""The serving app with a slowed decode loop, for process tests that race a client's moves.

`uvicorn --factory phase4_llm.serving.tests.slow_app:create_app` reads the usual `SERVING_*`
variables plus `SERVING_TEST_STEP_DELAY_S` (seconds added to every engine step), so that a
request with a large `max_tokens` surely outlives the client that dropped it.
"""

from __future__ import annotations

import os
import time

from fastapi import FastAPI

from phase4_llm.serving.service import create_app as create_serving_app


def create_app() -> FastAPI:
    """The real app; each engine step first sleeps `SERVING_TEST_STEP_DELAY_S` seconds."""
    app = create_serving_app()
    engine = app.state.engine
    delay = float(os.environ.get("SERVING_TEST_STEP_DELAY_S", "0"))
    step = engine.step

    def slow_step() -> int:
        time.sleep(delay)
        return step()

    engine.step = slow_step
    return app
