from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase6_tracks.speech",
    title="Speech from scratch: features, CTC recognition, streaming, synthesis, diarization",
    claim="STFT, mel, log-mel, MFCC and Griffin-Lim equal librosa; the CTC loss equals "
    "torch's in value and gradient; WER/CER equal jiwer; a CTC recogniser trained on "
    "espeak-ng speech is scored beside pocketsphinx, offline and streamed over WebSocket",
    reference="librosa, torch, jiwer, pocketsphinx",
    demo="phase6_tracks.speech.demo:main",
    parity="phase6_tracks.speech.parity:checks",
    bench="phase6_tracks.speech.bench:run",
    requirements=(
        "numpy",
        "torch==2.13.0",
        "librosa",
        "jiwer",
        "pocketsphinx",
        "fastapi",
        "uvicorn",
        "websockets",
        "matplotlib",
        "hypothesis",
    ),
    local_deps=(),
    exercises=("log_mel", "ctc_loss", "greedy_decode"),
)
