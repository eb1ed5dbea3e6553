"""The reader: a MiniLM cross-encoder that scores how likely a sentence states the answer to a
question, trained on the project's own natural training questions (`train_reader.py`).

The rules (`answer_span`, `answer_choice`) weigh word overlap, a typed span, the chunk's
retrieval score and a bi-encoder cosine; none of them reads the question and the sentence
together, so "who won the second series" meets "won the first series" as a match. The reader
does: "[CLS] question [SEP] sentence [SEP]", the mean of MiniLM's last hidden states, one
linear unit. It re-orders the answer pool and adds its best score to the decline evidence
(weights in `answer_choice`). Weights are trained here, never downloaded: without them the
service answers by the rules alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "rag_service" / "reader"
MAX_TOKENS = 64  # question + one sentence: 95 % of training pairs fit
# What the weights depend on; its hash names their cache folder (train_reader.py).
RECIPE: dict[str, Any] = {
    "data": "natural_train-v1",
    "epochs": 3,
    "lr": 5e-5,
    "batch": 16,
    "seed": 0,
}


def recipe_key(recipe: dict[str, Any] = RECIPE) -> str:
    """A short hash of the training recipe: the cache folder of its weights."""
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def reader_folder(recipe: dict[str, Any] = RECIPE) -> Path:
    return CACHE / recipe_key(recipe)


def is_trained(folder: Path | None = None) -> bool:
    return ((folder or reader_folder()) / "weights.pt").exists()


def build_model(model_dir: Path) -> Any:
    """MiniLM (the packaged all-MiniLM-L6-v2) with a linear unit on its mean token state."""
    import torch
    from transformers import AutoModel

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir))
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            return self.head((h * m).sum(1) / m.sum(1).clamp(min=1.0)).squeeze(-1)

    return CrossEncoder()


class Reader:
    """Scores (question, sentence) pairs with a trained cross-encoder (torch, eval mode)."""

    def __init__(self, model: Any, tokenizer: Any, threads: int = 1) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.threads = threads

    def encode(self, questions: list[str], sentences: list[str]) -> Any:
        return self.tokenizer(
            questions,
            sentences,
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )

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


def load_reader(folder: Path | None = None, threads: int = 1) -> Reader | None:
    """The reader trained by `train_reader` (None when it has not been trained here)."""
    folder = folder or reader_folder()
    if not is_trained(folder):
        return None
    import torch
    from transformers import AutoTokenizer

    from phase4_llm.common.assets import minilm_path

    model = build_model(minilm_path())
    model.load_state_dict(torch.load(folder / "weights.pt", weights_only=True))
    return Reader(model, AutoTokenizer.from_pretrained(str(minilm_path())), threads)
