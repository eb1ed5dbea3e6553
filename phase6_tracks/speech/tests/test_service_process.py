"""The service as a real uvicorn process on 127.0.0.1, spoken to by a real WebSocket client."""

from __future__ import annotations

import json

import numpy as np
import pytest

from phase0_env.common.testing import run_uvicorn
from phase6_tracks.speech.streaming import StreamingRecognizer

pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def server(tiny_model_path):
    env = {"SPEECH_MODEL_PATH": str(tiny_model_path), "SPEECH_LOG_LEVEL": "WARNING"}
    with run_uvicorn("phase6_tracks.speech.service:create_app", env=env, timeout=120) as running:
        yield running


def ws_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/v1/stream"


def test_streamed_transcript_equals_the_recogniser(server, tiny_model):
    from websockets.sync.client import connect

    signal = (0.1 * np.random.default_rng(1).standard_normal(16000)).astype("<f4")
    expected = StreamingRecognizer(tiny_model)
    with connect(ws_url(server)) as ws:
        for start in range(0, len(signal), 4000):
            chunk = signal[start : start + 4000]
            ws.send(chunk.tobytes())
            partial = json.loads(ws.recv(timeout=30))
            assert partial["type"] == "partial" and partial["text"] == expected.accept(chunk)
        ws.send(json.dumps({"type": "end"}))
        final = json.loads(ws.recv(timeout=30))
        assert final == {"type": "final", "text": expected.finish(), "audio_s": 1.0}


def test_bad_frame_is_closed_with_1007_and_the_server_keeps_serving(server):
    from websockets.exceptions import ConnectionClosedError
    from websockets.sync.client import connect

    with connect(ws_url(server)) as ws:
        ws.send(b"\x01\x02\x03")
        error = json.loads(ws.recv(timeout=30))
        assert error["code"] == 1007 and "float32" in error["detail"]
        with pytest.raises(ConnectionClosedError) as closed:
            ws.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    with connect(ws_url(server)) as ws:  # the next client is served normally
        ws.send(np.zeros(1600, dtype="<f4").tobytes())
        assert json.loads(ws.recv(timeout=30))["type"] == "partial"
