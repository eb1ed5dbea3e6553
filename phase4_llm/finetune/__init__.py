"""Fine-tuning study: LoRA on MiniLM and SmolLM2-135M vs zero-shot and classical baselines."""
