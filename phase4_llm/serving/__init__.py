"""An OpenAI-compatible inference server for the phase-4 GPT with continuous batching."""
