"""LoRA written here: a low-rank adapter layer, a model wrapper, and PEFT-format adapter files."""
