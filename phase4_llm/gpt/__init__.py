"""A decoder-only transformer written here: GPT-2 and Llama-style, KV cache, sampling."""
