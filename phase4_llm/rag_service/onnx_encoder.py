"""all-MiniLM-L6-v2 as an ONNX graph run by onnxruntime: the same fp32 weights and the same
mean pooling as sentence-transformers, without torch's per-call overhead.

The graph is exported once from the packaged model (`torch.onnx.export`, no download) to
`.cache/rag_service/`, keyed by the model file's size and mtime. Its vectors match the torch
encoder's to float32 rounding (`tests/test_onnx_encoder.py`), so vectors of either kind can
share one index and one cache. One query on one thread takes a few ms instead of tens.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def export_onnx(model_dir: Path, out: Path) -> Path:
    """Write the transformer of `model_dir` as ONNX (dynamic batch and length) to `out`."""
    import torch
    from transformers import AutoModel

    class Wrapped(torch.nn.Module):
        """Keyword inputs in a fixed order (BertModel's positional order varies by version)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir)).eval()

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Wrapped().eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    dyn = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, ids, torch.zeros_like(ids)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "token_type_ids": dyn},
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(out)  # atomic: a half-written graph is never loaded
    return out


class OnnxMiniLM:
    """Tokenise with the model's fast tokenizer, run the graph, mean-pool over real tokens."""

    def __init__(self, model_dir: Path, cache_dir: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        weights = model_dir / "model.safetensors"
        stat = weights.stat()
        path = cache_dir / f"minilm-{stat.st_size}-{int(stat.st_mtime)}.onnx"
        if not path.exists():
            export_onnx(model_dir, path)
        opts = ort.SessionOptions()
        # One thread: on a shared CPU a second thread mostly spin-waits (README, query speed).
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(model_dir))
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled float32 embeddings (not normalised), one row per text."""
        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np"
        )
        feed = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": enc["attention_mask"].astype(np.int64),
            "token_type_ids": enc.get("token_type_ids", np.zeros_like(enc["input_ids"])).astype(
                np.int64
            ),
        }
        with self._lock:
            (hidden,) = self.session.run(["last_hidden_state"], feed)
        mask = feed["attention_mask"][..., None].astype(np.float32)
        return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
