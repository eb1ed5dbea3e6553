"""A streaming recognition service: audio in over a WebSocket, partial transcripts out.

Protocol of `/v1/stream`: the client sends binary messages of little-endian float32 mono
samples at 16 kHz in [-1, 1]; after each the server answers
`{"type": "partial", "text": ..., "audio_s": ...}`. The text message `{"type": "end"}` asks
for `{"type": "final", ...}`, then the server closes with 1000. Bad input gets
`{"type": "error", "code": ..., "detail": ...}` and a close with that code and reason:
1007 a frame that is not whole float32 samples or holds values outside [-1, 1] or NaN
(int16 audio sent as float32 lands here), 1009 a frame over `max_frame_bytes` or a stream
over `max_stream_seconds`, 1003 a text message that is not a control message, 1008 a
missing or wrong API key when keys are configured. Settings: `SPEECH_*` variables.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path

import numpy as np
import torch
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from phase0_env.common.service import ServiceSettings, create_service_app

from .model import SAMPLE_RATE, CTCRecognizer
from .streaming import StreamingRecognizer

CLOSE_UNSUPPORTED, CLOSE_INVALID, CLOSE_POLICY, CLOSE_TOO_BIG = 1003, 1007, 1008, 1009


class SpeechSettings(ServiceSettings):
    """Settings from `SPEECH_*` environment variables."""

    model_config = ServiceSettings.model_config | {"env_prefix": "SPEECH_"}
    service_name: str = "speech"
    # A checkpoint written by `CTCRecognizer.to_dict` (torch.save); empty: the trained model
    # of the default training settings (trained and cached on first use).
    model_path: str = ""
    max_frame_bytes: int = 64_000  # 1 s of audio per message
    max_stream_seconds: float = 60.0


class BadStream(Exception):
    """A client error that ends the stream with a close code and reason."""

    def __init__(self, code: int, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


def load_model(settings: SpeechSettings) -> CTCRecognizer:
    """The model the settings name (see `SpeechSettings.model_path`)."""
    if settings.model_path:
        path = Path(settings.model_path)
        if not path.is_file():
            raise FileNotFoundError(f"SPEECH_MODEL_PATH {path} does not exist")
        return CTCRecognizer.from_dict(torch.load(path, weights_only=False))
    from .train import trained_model

    return trained_model()[0]


def create_app(
    settings: SpeechSettings | None = None, model: CTCRecognizer | None = None
) -> FastAPI:
    """The app factory (uvicorn `--factory`); `model` injects an already loaded recogniser."""
    settings = settings or SpeechSettings()
    recogniser = model if model is not None else load_model(settings)
    app = create_service_app(
        settings,
        title="Streaming speech recognition",
        description="CTC recogniser over a WebSocket: float32 16 kHz in, partial text out",
    )
    app.state.model = recogniser
    keys = [k.get_secret_value() for k in settings.api_keys]

    @app.websocket("/v1/stream")
    async def stream(ws: WebSocket) -> None:
        await ws.accept()
        offered = ws.headers.get("x-api-key", "")
        if keys and not any(secrets.compare_digest(offered, k) for k in keys):
            await _refuse(ws, BadStream(CLOSE_POLICY, "missing or invalid x-api-key"))
            return
        rec, heard = StreamingRecognizer(recogniser), 0
        try:
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("bytes") is not None:
                    samples = _samples(message["bytes"], settings.max_frame_bytes)
                    heard += len(samples)
                    if heard > settings.max_stream_seconds * SAMPLE_RATE:
                        raise BadStream(
                            CLOSE_TOO_BIG, f"stream longer than {settings.max_stream_seconds:g} s"
                        )
                    text = await asyncio.to_thread(rec.accept, samples)  # off the event loop
                    await ws.send_json(
                        {"type": "partial", "text": text, "audio_s": heard / SAMPLE_RATE}
                    )
                elif _is_end(message.get("text")):
                    text = await asyncio.to_thread(rec.finish)
                    await ws.send_json(
                        {"type": "final", "text": text, "audio_s": heard / SAMPLE_RATE}
                    )
                    await ws.close(1000)
                    return
        except BadStream as bad:
            await _refuse(ws, bad)
        except WebSocketDisconnect:
            return

    return app


def _samples(data: bytes, max_bytes: int) -> np.ndarray:
    """Validated float32 samples of one binary frame (BadStream when unusable)."""
    if len(data) > max_bytes:
        raise BadStream(CLOSE_TOO_BIG, f"frame of {len(data)} bytes exceeds {max_bytes}")
    if len(data) % 4:
        raise BadStream(CLOSE_INVALID, f"frame of {len(data)} bytes is not whole float32 samples")
    samples = np.frombuffer(data, dtype="<f4")
    if not np.all(np.isfinite(samples)) or np.any(np.abs(samples) > 1.0):
        raise BadStream(CLOSE_INVALID, "samples must be finite float32 in [-1, 1] (16 kHz mono)")
    return samples


def _is_end(text: str | None) -> bool:
    """True for the end-of-stream control message; BadStream for any other text."""
    try:
        parsed = json.loads(text or "")
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("type") == "end":
        return True
    raise BadStream(
        CLOSE_UNSUPPORTED, 'text messages must be {"type": "end"}; audio goes in binary frames'
    )


async def _refuse(ws: WebSocket, bad: BadStream) -> None:
    await ws.send_json({"type": "error", "code": bad.code, "detail": bad.detail})
    await ws.close(bad.code, reason=bad.detail[:120])
