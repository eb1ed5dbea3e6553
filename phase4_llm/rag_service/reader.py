"""The reader: a MiniLM cross-encoder that scores how likely a sentence states the answer to a
question, trained on the project's own natural training questions (`train_reader.py`).

The rules (`answer_span`, `answer_choice`) weigh word overlap, a typed span, the chunk's
retrieval score and a bi-encoder cosine; none of them reads the question and the sentence
together, so "who won the second series" meets "won the first series" as a match. The reader
does: "[CLS] question [SEP] sentence [SEP]", the mean of MiniLM's last hidden states, one
linear unit. It re-orders the answer pool and adds its best score to the decline evidence
(weights in `answer_choice`). Weights are trained here, never downloaded: without them the
service answers by the rules alone.

Three backends read the same trained weights (`BACKENDS`):
- "int8" (the default): the model exported to ONNX with the mean and the linear unit inside
  the graph, BERT fusions, int8 per-channel weights (the encoder's recipe, `quantize.py`);
  about 2.5x faster than torch on one thread; its logits move (0.2 on average on the
  evaluation's answer pools, README), so it has its own decline threshold
  (`pipeline.MIN_EVIDENCE_WITH_READER`);
- "onnx": the fused fp32 graph (logits equal to torch's within 1e-3, tested);
- "torch": the model itself, as trained.
The graphs are built on first use beside the weights, named by the weights file's size and
mtime, so weights trained again get new graphs.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from phase4_llm.rag_service.onnx_encoder import export_graph, fused_graph, ort_session, token_feed

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "rag_service" / "reader"
MAX_TOKENS = 64  # question + one sentence: 95 % of training pairs fit
# What the weights depend on besides the training split's contents; with those, its hash names
# their cache folder (train_reader.py).
RECIPE: dict[str, Any] = {
    "data": "natural_train",
    "epochs": 3,
    "lr": 5e-5,
    "batch": 16,
    "seed": 0,
}


@functools.cache
def training_data_digest() -> str:
    """sha256 of the training split's file: questions added or edited make a new cache key,
    so weights trained on other data are never loaded as if trained on these."""
    from phase4_llm.rag_service.eval_set import TRAIN_PATH  # eval_set imports the pipeline

    return hashlib.sha256(TRAIN_PATH.read_bytes()).hexdigest()


def recipe_key(recipe: dict[str, Any] = RECIPE) -> str:
    """A short hash of the training recipe and data: the cache folder of its weights."""
    keyed = {**recipe, "data_sha256": training_data_digest()}
    return hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()[:12]


def reader_folder(recipe: dict[str, Any] = RECIPE) -> Path:
    return CACHE / recipe_key(recipe)


def is_trained(folder: Path | None = None) -> bool:
    return ((folder or reader_folder()) / "weights.pt").exists()


BACKENDS = ("int8", "onnx", "torch")


class PairScorer(Protocol):
    """What the pipeline needs of a reader: its backend's name and one logit per sentence."""

    backend: str

    def score(self, question: str, sentences: list[str]) -> list[float]: ...


def build_model(model_dir: Path, attention: str | None = None) -> Any:
    """MiniLM (the packaged all-MiniLM-L6-v2) with a linear unit on its mean token state.
    `attention="eager"` for an ONNX export (the fusion pass recognises that subgraph)."""
    import torch
    from transformers import AutoModel

    extra = {"attn_implementation": attention} if attention else {}

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir), **extra)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            return self.head((h * m).sum(1) / m.sum(1).clamp(min=1.0)).squeeze(-1)

    return CrossEncoder()


def encode_pairs(tokenizer: Any, questions: list[str], sentences: list[str], kind: str) -> Any:
    """The cross-encoder's input: "[CLS] question [SEP] sentence [SEP]", sentence truncated."""
    return tokenizer(
        questions,
        sentences,
        truncation="only_second",
        max_length=MAX_TOKENS,
        padding=True,
        return_tensors=kind,
    )


class Reader:
    """Scores (question, sentence) pairs with a trained cross-encoder (torch, eval mode)."""

    backend = "torch"

    def __init__(self, model: Any, tokenizer: Any, threads: int = 1) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.threads = threads

    def encode(self, questions: list[str], sentences: list[str]) -> Any:
        return encode_pairs(self.tokenizer, questions, sentences, "pt")

    def score(self, question: str, sentences: list[str]) -> list[float]:
        """One logit per sentence: higher means more likely to state the answer."""
        import torch

        if not sentences:
            return []
        before = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            with torch.inference_mode():
                out = self.model(**self.encode([question] * len(sentences), sentences))
        finally:
            torch.set_num_threads(before)
        return [float(x) for x in out]


def reader_graph(folder: Path, backend: str) -> Path:
    """The ONNX graph of the weights in `folder` for `backend` ("onnx" or "int8"), exported,
    fused and quantised on first use; named by the weights file, so new weights get new graphs."""
    if backend not in ("onnx", "int8"):
        raise ValueError(f"no ONNX graph for reader backend {backend!r}")
    stat = (folder / "weights.pt").stat()

    def export(out: Path) -> Path:
        import torch

        from phase4_llm.common.assets import minilm_path

        model = build_model(minilm_path(), attention="eager")
        model.load_state_dict(torch.load(folder / "weights.pt", weights_only=True))
        return export_graph(model.eval(), out, "logits")

    stem = folder / f"reader-{stat.st_size}-{stat.st_mtime_ns}"
    return fused_graph(stem, "fp32" if backend == "onnx" else "int8", export)


class OnnxReader:
    """The reader as an onnxruntime graph (`reader_graph`): same tokens, same logits up to the
    graph's arithmetic (fused fp32: within 1e-3; int8 weights: see the module's docstring)."""

    def __init__(self, graph: Path, tokenizer: Any, backend: str, threads: int = 1) -> None:
        self.session = ort_session(graph, threads)
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = tokenizer
        self.backend = backend

    def score(self, question: str, sentences: list[str]) -> list[float]:
        """One logit per sentence: higher means more likely to state the answer."""
        if not sentences:
            return []
        feed = token_feed(
            encode_pairs(self.tokenizer, [question] * len(sentences), sentences, "np")
        )
        # onnxruntime's run is safe to call from several threads at once: no lock needed.
        (logits,) = self.session.run(
            ["logits"], {k: v for k, v in feed.items() if k in self.inputs}
        )
        return [float(x) for x in np.asarray(logits).reshape(-1)]


def load_reader(
    folder: Path | None = None, threads: int = 1, backend: str = "int8"
) -> Reader | OnnxReader | None:
    """The reader trained by `train_reader` (None when it has not been trained here), run by
    `backend` (`BACKENDS`)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown reader backend {backend!r}: expected one of {BACKENDS}")
    folder = folder or reader_folder()
    if not is_trained(folder):
        return None
    from transformers import AutoTokenizer

    from phase4_llm.common.assets import minilm_path

    tokenizer = AutoTokenizer.from_pretrained(str(minilm_path()))
    if backend != "torch":
        return OnnxReader(reader_graph(folder, backend), tokenizer, backend, threads)
    import torch

    model = build_model(minilm_path())
    model.load_state_dict(torch.load(folder / "weights.pt", weights_only=True))
    return Reader(model, tokenizer, threads)
