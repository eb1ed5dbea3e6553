"""Fine-tuning study: LoRA on the packaged MiniLM encoder vs zero-shot and classical baselines."""
