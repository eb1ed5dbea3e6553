"""The WebSocket endpoint in-process: partial transcripts equal the streaming recogniser's,
and bad input is answered with a clear error message and close code."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from phase6_tracks.speech.service import SpeechSettings, create_app
from phase6_tracks.speech.streaming import StreamingRecognizer


@pytest.fixture
def client(tiny_model):
    settings = SpeechSettings(log_level="WARNING", max_frame_bytes=16_000, max_stream_seconds=2)
    with TestClient(create_app(settings, tiny_model)) as c:
        yield c


def audio(seconds: float, seed: int = 0) -> np.ndarray:
    return (0.1 * np.random.default_rng(seed).standard_normal(int(16000 * seconds))).astype("<f4")


def test_partials_and_final_equal_the_streaming_recogniser(client, tiny_model):
    signal = audio(1.2)
    expected = StreamingRecognizer(tiny_model)
    with client.websocket_connect("/v1/stream") as ws:
        for start in range(0, len(signal), 3200):
            chunk = signal[start : start + 3200]
            ws.send_bytes(chunk.tobytes())
            reply = ws.receive_json()
            assert reply == {
                "type": "partial",
                "text": expected.accept(chunk),
                "audio_s": pytest.approx(min(len(signal), start + 3200) / 16000),
            }
        ws.send_text(json.dumps({"type": "end"}))
        final = ws.receive_json()
        assert final["type"] == "final" and final["text"] == expected.finish()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1000


@pytest.mark.parametrize(
    ("payload", "code", "detail"),
    [
        (b"\x00" * 7, 1007, "not whole float32 samples"),
        (np.full(10, 3000.0, dtype="<f4").tobytes(), 1007, "in [-1, 1]"),
        ((np.arange(100, dtype="<i2") * 300).tobytes() * 2, 1007, "in [-1, 1]"),
        (np.array([0.1, np.nan], dtype="<f4").tobytes(), 1007, "finite"),
        (b"\x00" * 16_004, 1009, "exceeds 16000"),
        ("hello", 1003, "text messages must be"),
        ('{"type": "stop"}', 1003, "text messages must be"),
    ],
    ids=[
        "odd-size",
        "out-of-range",
        "int16-as-float32",
        "nan",
        "oversized",
        "garbage-text",
        "wrong-control",
    ],
)
def test_bad_input_gets_an_error_and_a_close_code(client, payload, code, detail):
    with client.websocket_connect("/v1/stream") as ws:
        if isinstance(payload, bytes):
            ws.send_bytes(payload)
        else:
            ws.send_text(payload)
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == code and detail in error["detail"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == code and detail in closed.value.reason


def test_stream_longer_than_the_limit_is_closed(client):
    with client.websocket_connect("/v1/stream") as ws:
        for _ in range(4):  # 4 x 0.25 s = 1 s, under the 2 s limit
            ws.send_bytes(audio(0.25).tobytes())
            assert ws.receive_json()["type"] == "partial"
        for _ in range(5):
            ws.send_bytes(audio(0.25).tobytes())
            reply = ws.receive_json()
            if reply["type"] == "error":
                break
        assert reply == {"type": "error", "code": 1009, "detail": "stream longer than 2 s"}


def test_api_key_is_required_when_configured(tiny_model):
    settings = SpeechSettings(log_level="WARNING", api_keys=["s3cret"])
    with TestClient(create_app(settings, tiny_model)) as c:
        with c.websocket_connect("/v1/stream") as ws:
            assert ws.receive_json()["code"] == 1008
        with c.websocket_connect("/v1/stream", headers={"x-api-key": "s3cret"}) as ws:
            ws.send_bytes(audio(0.1).tobytes())
            assert ws.receive_json()["type"] == "partial"


def test_health_routes(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert "http_requests_total" in client.get("/metrics").text


def test_a_missing_checkpoint_fails_at_start(tmp_path):
    with pytest.raises(FileNotFoundError, match="SPEECH_MODEL_PATH"):
        create_app(SpeechSettings(model_path=str(tmp_path / "missing.pt"), log_level="WARNING"))
