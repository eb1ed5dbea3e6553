"""all-MiniLM-L6-v2 as an ONNX graph run by onnxruntime, in two variants:

- "fp32": the packaged fp32 weights with BERT fusions (`quantize.fuse_bert`); vectors equal to
  sentence-transformers' within 1e-5 (`tests/test_onnx_encoder.py`);
- "int8": the fused graph with int8 weights (`quantize.quantize_int8`), about twice as fast on
  a CPU with VNNI; vectors within a cosine of ~0.99 of fp32 ones, so they get their own
  embedder name (and cache keys and stores): the two kinds never share an index.

The graphs are built once from the packaged model (`torch.onnx.export`, no download) under
`.cache/rag_service/`, keyed by the model file's size and mtime. Large batches (ingest) run on
a session with `batch_threads` intra-op threads, small ones (a query) on a one-thread session:
one query gains nothing from a second thread, and on a shared CPU it spin-waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
VARIANTS = ("fp32", "int8")
# From this many texts a call uses the multi-thread session: an ingest batch, not a query
# (the question and its up to 8 candidate sentences).
LARGE_BATCH = 16


def export_onnx(model_dir: Path, out: Path) -> Path:
    """Write the transformer of `model_dir` as ONNX (dynamic batch and length) to `out`."""
    import torch
    from transformers import AutoModel

    class Wrapped(torch.nn.Module):
        """Keyword inputs in a fixed order (BertModel's positional order varies by version)."""

        def __init__(self) -> None:
            super().__init__()
            # Eager attention exports the plain softmax(QK^T)V subgraph that the fusion pass
            # recognises; the SDPA export leaves attention unfused (and unquantisable).
            self.bert = AutoModel.from_pretrained(
                str(model_dir), attn_implementation="eager"
            ).eval()

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return export_graph(Wrapped().eval(), out, "last_hidden_state")


def export_graph(model: Any, out: Path, output: str) -> Path:
    """Write a module taking (input_ids, attention_mask, token_type_ids) as ONNX, dynamic batch
    and length, its one output named `output` (the encoder's and the reader's graphs)."""
    import torch

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
            output_names=[output],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "token_type_ids": dyn},
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(out)  # atomic: a half-written graph is never loaded
    return out


def token_feed(enc: Any) -> dict[str, np.ndarray]:
    """A tokenizer's numpy output as the graphs' int64 inputs (token types 0 when absent)."""
    ids = enc["input_ids"].astype(np.int64)
    return {
        "input_ids": ids,
        "attention_mask": enc["attention_mask"].astype(np.int64),
        "token_type_ids": enc.get("token_type_ids", np.zeros_like(ids)).astype(np.int64),
    }


def graph_path(model_dir: Path, cache_dir: Path, variant: str) -> Path:
    """The graph file of `variant`, exported, fused and quantised on first use."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}: expected one of {VARIANTS}")
    stat = (model_dir / "model.safetensors").stat()
    stem = cache_dir / f"minilm-{stat.st_size}-{int(stat.st_mtime)}"
    return fused_graph(stem, variant, lambda out: export_onnx(model_dir, out))


def fused_graph(stem: Path, variant: str, export: Callable[[Path], Path]) -> Path:
    """`{stem}-fused.onnx` ("fp32") or `{stem}-fused-int8.onnx` ("int8"), built on first use:
    `export` writes the eager graph, which is fused (`quantize.fuse_bert`), then quantised
    (`quantize.quantize_int8`); the eager export is removed once fused. The encoder's and the
    reader's graphs are built this way."""
    from phase4_llm.rag_service.quantize import fuse_bert, quantize_int8

    fused = stem.with_name(stem.name + "-fused.onnx")
    target = fused if variant == "fp32" else stem.with_name(stem.name + "-fused-int8.onnx")
    if not target.exists():
        if not fused.exists():
            exported = export(stem.with_name(stem.name + "-eager.onnx"))
            fuse_bert(exported, fused)
            exported.unlink()
        if variant == "int8":
            quantize_int8(fused, target)
    return target


def ort_session(path: Path, threads: int) -> Any:
    """An onnxruntime CPU session on `threads` intra-op threads (the encoder's and the reader's)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    if threads > 1:
        # Workers sleep between operators instead of spinning: on a CPU shared with other
        # processes a spinning worker takes a core from whoever else needs it.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


class OnnxMiniLM:
    """Tokenise with the model's fast tokenizer, run the graph, mean-pool over real tokens."""

    def __init__(
        self,
        model_dir: Path,
        cache_dir: Path,
        threads: int = 1,
        variant: str = "int8",
        batch_threads: int = 2,
    ) -> None:
        from transformers import AutoTokenizer

        path = graph_path(model_dir, cache_dir, variant)
        self.variant = variant
        self.small = ort_session(path, threads)
        self.large = self.small if batch_threads == threads else ort_session(path, batch_threads)
        self.inputs = {i.name for i in self.small.get_inputs()}
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(model_dir))
        # One lock per session: a query need not wait for an ingest batch on the other one.
        self._locks = {id(self.small): threading.Lock(), id(self.large): threading.Lock()}

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled float32 embeddings (not normalised), one row per text."""
        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np"
        )
        feed = token_feed(enc)
        session = self.large if len(texts) >= LARGE_BATCH else self.small
        with self._locks[id(session)]:
            (hidden,) = session.run(
                ["last_hidden_state"], {k: v for k, v in feed.items() if k in self.inputs}
            )
        mask = feed["attention_mask"][..., None].astype(np.float32)
        return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
