"""The study: every method trained on the same split, scored on the same held-out test set.

Methods: TF-IDF + logistic regression (the classical baseline), zero-shot MiniLM (cosine
similarity to a one-line description of each topic), a linear probe on the frozen encoder,
LoRA (rank 8 on the attention query and value projections, plus the head), and full
fine-tuning (full mode only). Accuracy and macro-F1 carry 95 % bootstrap intervals over the
test articles (phase 1's bootstrap, percentile method, 1,000 resamples, seed 0).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from phase1_foundations.stats.resampling import bootstrap_ci
from phase4_llm.finetune.data import DESCRIPTIONS, LABELS, Split, load_bbc, split
from phase4_llm.finetune.encoder import MAX_TOKENS, build, embed_texts, predict, train
from phase4_llm.lora.wrap import lora_state_dict


@dataclass
class Row:
    """One method's scores and costs."""

    method: str
    accuracy: float
    accuracy_ci: tuple[float, float]
    macro_f1: float
    macro_f1_ci: tuple[float, float]
    trainable_params: int
    train_seconds: float
    artifact_bytes: int
    test_articles: int = 0
    invalid_share: float | None = None  # free answers naming no topic (generative rows)

    def to_dict(self) -> dict:
        return asdict(self)


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, axis: int = -1) -> np.ndarray:
    """Macro-averaged F1, vectorised over leading axes (for the bootstrap)."""
    scores = []
    for c in range(len(LABELS)):
        tp = np.sum((y_true == c) & (y_pred == c), axis=axis)
        wrong = np.sum((y_true == c) != (y_pred == c), axis=axis)  # fp + fn
        denom = 2 * tp + wrong
        scores.append(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0))
    return np.mean(scores, axis=0)


def accuracy(y_true: np.ndarray, y_pred: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(y_true == y_pred, axis=axis)


def score(
    method: str,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    trainable: int,
    seconds: float,
    artifact_bytes: int,
    invalid_share: float | None = None,
) -> Row:
    """A row with bootstrap intervals; a prediction of -1 (no valid answer) counts wrong."""
    cis = [
        bootstrap_ci(
            [y_true, y_pred],
            f,
            n_resamples=1000,
            method="percentile",
            paired=True,
            rng=np.random.default_rng(0),
        )
        for f in (accuracy, macro_f1)
    ]
    return Row(
        method,
        float(accuracy(y_true, y_pred)),
        (cis[0].low, cis[0].high),
        float(macro_f1(y_true, y_pred)),
        (cis[1].low, cis[1].high),
        trainable,
        seconds,
        artifact_bytes,
        len(y_true),
        invalid_share,
    )


def tfidf_baseline(train_set: Split, test: Split) -> Row:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    start = time.perf_counter()
    vectoriser = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2))
    features = vectoriser.fit_transform(train_set.texts)
    clf = LogisticRegression(C=10.0, max_iter=2000).fit(features, train_set.labels)
    seconds = time.perf_counter() - start
    pred = clf.predict(vectoriser.transform(test.texts))
    params = clf.coef_.size + clf.intercept_.size
    return score("TF-IDF + logistic regression", test.labels, pred, params, seconds, 0)


def zero_shot(test: Split, max_tokens: int) -> Row:
    model, tokenizer = build("head", len(LABELS))
    labels = embed_texts(model, tokenizer, [DESCRIPTIONS[name] for name in LABELS])
    texts = embed_texts(model, tokenizer, test.texts, max_tokens=max_tokens)
    pred = (texts @ labels.T).argmax(-1).numpy()
    return score("zero-shot MiniLM (label descriptions)", test.labels, pred, 0, 0.0, 0)


def tuned(mode: str, train_set: Split, test: Split, steps: int, max_tokens: int) -> Row:
    result = train(mode, train_set.texts, train_set.labels, steps=steps, max_tokens=max_tokens)
    pred = predict(result.model, result.tokenizer, test.texts, max_tokens=max_tokens)
    weights = {k: v for k, v in result.model.state_dict().items() if k.startswith("head.")}
    if mode == "lora":
        weights.update(lora_state_dict(result.model.encoder))
    elif mode == "full":
        weights = dict(result.model.state_dict())
    name = {
        "head": "linear probe (frozen MiniLM)",
        "lora": "LoRA r=8 on MiniLM + head",
        "full": "full fine-tuning of MiniLM",
    }[mode]
    return score(name, test.labels, pred, result.trainable, result.seconds, _size(weights))


def run_study(quick: bool = False, seed: int = 0) -> list[Row]:
    """All methods; quick mode reads 64 tokens per article (not 128), trains on 400 articles
    for 30 steps, and skips full fine-tuning."""
    train_set, _, test = split(load_bbc(), seed=seed)
    if quick:
        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(len(train_set.texts), 400, replace=False))
        train_set = Split([train_set.texts[i] for i in keep], train_set.labels[keep])
    steps, tokens = (30, 64) if quick else (300, MAX_TOKENS)
    rows = [
        tfidf_baseline(train_set, test),
        zero_shot(test, tokens),
        tuned("head", train_set, test, steps, tokens),
        tuned("lora", train_set, test, steps, tokens),
    ]
    if not quick:
        rows.append(tuned("full", train_set, test, steps, tokens))
    return rows


def log_to_mlflow(
    rows: list[Row],
    quick: bool,
    tracking_uri: str | None = None,
    params: dict[str, object] | None = None,
) -> str:
    """One MLflow run with every method's metrics (and extra `params`); returns the run id."""
    import mlflow

    from phase0_env.common.paths import default_tracking_uri

    params = params or {}
    mlflow.set_tracking_uri(tracking_uri or default_tracking_uri())
    mlflow.set_experiment("phase4_llm.finetune")
    with mlflow.start_run() as run:
        mlflow.log_params({"quick": quick, "seed": 0, "encoder": "all-MiniLM-L6-v2", **params})
        for i, row in enumerate(rows):
            key = row.method.split(" (")[0].replace(" ", "_").replace("+", "plus")
            key = re.sub(r"[^A-Za-z0-9_.-]", "", key)  # MLflow's allowed metric-name characters
            mlflow.log_metrics(
                {
                    f"{key}.accuracy": row.accuracy,
                    f"{key}.macro_f1": row.macro_f1,
                    f"{key}.train_seconds": row.train_seconds,
                    **({} if row.invalid_share is None else {f"{key}.invalid": row.invalid_share}),
                },
                step=i,
            )
        mlflow.log_text(format_table(rows), "results.md")
        return str(run.info.run_id)


def format_table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| method | accuracy (95 % CI) | macro-F1 (95 % CI) | trainable params | "
        "train time (s) | saved weights | test articles | invalid answers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = f"{r.artifact_bytes / 1e6:.2f} MB" if r.artifact_bytes else "-"
        invalid = "-" if r.invalid_share is None else f"{r.invalid_share:.1%}"
        lines.append(
            f"| {r.method} | {r.accuracy:.3f} ({r.accuracy_ci[0]:.3f}-"
            f"{r.accuracy_ci[1]:.3f}) | {r.macro_f1:.3f} ({r.macro_f1_ci[0]:.3f}-"
            f"{r.macro_f1_ci[1]:.3f}) | {r.trainable_params:,} | {r.train_seconds:.1f} "
            f"| {size} | {r.test_articles} | {invalid} |"
        )
    return "\n".join(lines)


def _size(weights: dict[str, torch.Tensor]) -> int:
    from safetensors.torch import save

    return len(save({k: v.contiguous() for k, v in weights.items()}))
