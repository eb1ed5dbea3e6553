"""Demo: pre-train a byte-level GPT on BBC News, stream a sample, then run SmolLM2 in our model."""

from __future__ import annotations

import math
import time
from pathlib import Path

import torch

from phase0_env.common.outputs import study_output
from phase0_env.common.seeding import seed_everything

from .config import GPTConfig
from .generate import generate, stream
from .pretrain import TrainHistory, bbc_news_bytes, pretrain, unigram_cross_entropy

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    """Train (quick: 90 steps, full: 400), plot the curves, sample, compare with transformers."""
    seed_everything(0)
    train, val = bbc_news_bytes()
    baseline = unigram_cross_entropy(train, val)
    cfg = GPTConfig(vocab_size=256, block_size=96, n_layer=3, n_head=4, n_embd=96)
    steps = 90 if quick else 400
    if quick:
        cfg = GPTConfig(vocab_size=256, block_size=64, n_layer=2, n_head=4, n_embd=64)
    start = time.perf_counter()
    model, history = pretrain(
        cfg, train, val, steps=steps, batch_size=16, eval_every=max(10, steps // 20)
    )
    print(
        f"pre-trained {steps} steps on {len(train):,} BBC News bytes "
        f"in {time.perf_counter() - start:.1f} s"
    )
    print(
        f"unigram baseline (validation): {baseline:.3f} nats/byte, "
        f"perplexity {math.exp(baseline):.2f}"
    )
    for s, v, p in zip(history.val_steps, history.val_loss, history.val_perplexity, strict=True):
        print(f"  step {s:4d}  val loss {v:.3f}  perplexity {p:6.2f}")
    png = plot_history(
        history,
        baseline,
        study_output(HERE, "pretrain_loss_quick.png" if quick else "pretrain_loss.png"),
    )
    print(f"loss curves: {png}")
    prompt = torch.tensor([list(b"The government said")])
    print("sample (streamed, top-p 0.9, seed 0): The government said", end="", flush=True)
    for token in stream(
        model,
        prompt,
        cfg.block_size - prompt.shape[1],
        do_sample=True,
        top_p=0.9,
        temperature=0.8,
        seed=0,
    ):
        print(bytes([int(token[0])]).decode("utf-8", errors="replace"), end="", flush=True)
    print()
    compare_with_transformers(new_tokens=6 if quick else 20)


def compare_with_transformers(new_tokens: int) -> None:
    """Real SmolLM2-135M weights in our model vs transformers: logits and a greedy continuation."""
    from . import reference as ref
    from .smollm2 import load_smollm2_reference
    from .weights import from_hf

    hf, tok = load_smollm2_reference()
    ours = from_hf(hf)
    ids = tok("The capital of France is", return_tensors="pt").input_ids
    with torch.no_grad():
        err = (ours(ids)[0] - hf(ids).logits).abs().max().item()
    a = generate(ours, ids, new_tokens)
    b = ref.hf_generate(hf, ids, new_tokens, do_sample=False)
    print(f"SmolLM2-135M in our model: max |logit diff| vs transformers {err:.2e}")
    print(f"  ours:         {tok.decode(a[0])!r}")
    print(f"  transformers: {tok.decode(b[0])!r}  identical: {torch.equal(a, b)}")


def plot_history(history: TrainHistory, baseline: float, path: Path) -> Path:
    """Train/validation loss and validation perplexity curves, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(history.steps, history.train_loss, label="train", alpha=0.6)
    ax1.plot(history.val_steps, history.val_loss, "o-", label="validation")
    ax1.axhline(baseline, color="gray", ls="--", label="unigram baseline")
    ax1.set(xlabel="step", ylabel="loss (nats/byte)", title="BBC News, byte-level GPT")
    ax1.legend()
    ax2.plot(history.val_steps, history.val_perplexity, "o-", color="C1")
    ax2.set(xlabel="step", ylabel="validation perplexity (per byte)", title="perplexity")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
