"""Phase 4: LLMs.

Tokenizer, GPT with KV cache and sampling, quantization, evaluations, RAG, LoRA,
serving and agents.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "tokenizer",
    "gpt",
    "quantization",
    "evals",
    "lora",
    "finetune",
    "rag_service",
    "serving",
    "agents",
)
