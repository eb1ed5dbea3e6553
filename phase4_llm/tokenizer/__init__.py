"""Byte-level BPE written here: train, encode, decode; files tiktoken and Hugging Face load."""
