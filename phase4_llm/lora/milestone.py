from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.lora",
    title="LoRA adapters from scratch, interchangeable with PEFT",
    claim="LoRA layer and wrapper (rank, alpha, dropout, rsLoRA, merge/unmerge) equal PEFT's "
    "outputs and gradients; adapter files load both ways between ours and PEFT",
    reference="peft",
    demo="phase4_llm.lora.demo:main",
    parity="phase4_llm.lora.parity:checks",
    bench="phase4_llm.lora.bench:run",
    exercises=("lora_forward", "merged_weight"),
    requirements=("numpy", "torch==2.13.0", "transformers", "peft", "safetensors"),
    local_deps=("phase4_llm.quantization",),
)
