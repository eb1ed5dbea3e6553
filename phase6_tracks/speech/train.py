"""Train the CTC recogniser on the synthesised corpus, cache it, and score it by WER/CER.

Adam on our CTC loss (ctc.py), length-sorted batches, light SpecAugment (one time mask and
one band mask per utterance). A trained model is cached under `.cache/speech/` keyed by its
training settings, so the demo, the streaming study and the service reuse one run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from phase0_env.common.paths import cache_dir
from phase0_env.common.seeding import seed_everything

from . import corpus as C
from .ctc import ctc_loss
from .decoding import greedy_decode, prefix_beam_search
from .error_rates import cer, wer
from .lm import CharNGramLM
from .model import ALPHABET, CTCRecognizer, ModelConfig, decode, encode, features, output_lengths


@dataclass(frozen=True)
class TrainConfig:
    n_train: int = 1000
    n_test: int = 60
    epochs: int = 20
    batch_size: int = 16
    lr: float = 3e-3
    hidden: int = 128
    gru_layers: int = 2
    seed: int = 0

    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self)).encode()).hexdigest()[:12]


QUICK = TrainConfig(n_train=200, n_test=20, epochs=6, hidden=96, gru_layers=1)


def train(
    cfg: TrainConfig, data: C.Corpus, log: Callable[[str], None] = print
) -> tuple[CTCRecognizer, list[float]]:
    """A model trained on `data.train`; returns it (eval mode) and the mean loss per epoch."""
    seed_everything(cfg.seed)
    utts, waves = data.train
    feats = [torch.from_numpy(features(w)) for w in waves]
    labels = [torch.tensor(encode(u.text)) for u in utts]
    model = CTCRecognizer(ModelConfig(hidden=cfg.hidden, gru_layers=cfg.gru_layers))
    stacked = torch.cat([model.stack(f[None])[0] for f in feats])  # (sum T, 2M) before norm
    model.mean.copy_(stacked.mean(0))
    model.std.copy_(stacked.std(0) + 1e-3)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, cfg.lr, total_steps=cfg.epochs * -(-len(feats) // cfg.batch_size)
    )
    order = sorted(range(len(feats)), key=lambda i: len(feats[i]))
    batches = [order[i : i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
    gen = torch.Generator().manual_seed(cfg.seed)
    history = []
    for epoch in range(cfg.epochs):
        model.train()
        started, total = time.perf_counter(), 0.0
        for b in torch.randperm(len(batches), generator=gen).tolist():
            idx = batches[b]
            x = torch.nn.utils.rnn.pad_sequence(
                [_augment(feats[i], gen) for i in idx], batch_first=True
            )
            lengths = output_lengths(torch.tensor([len(feats[i]) for i in idx]))
            targets = torch.nn.utils.rnn.pad_sequence([labels[i] for i in idx], batch_first=True)
            t_lengths = torch.tensor([len(labels[i]) for i in idx])
            log_probs, _ = model(x)  # (B, T, C)
            loss = ctc_loss(
                log_probs.transpose(0, 1), targets, lengths, t_lengths, zero_infinity=True
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
        history.append(total / len(batches))
        took = time.perf_counter() - started
        log(f"  epoch {epoch + 1:>2}/{cfg.epochs}: CTC loss {history[-1]:.3f} ({took:.1f} s)")
    return model.eval(), history


def _augment(frames: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """One time mask (up to 10 frames) and one band mask (up to 6 mels), filled with the mean."""
    x = frames.clone()
    T, M = x.shape
    fill = x.mean()
    t0, w = (
        int(torch.randint(0, max(1, T - 10), (1,), generator=gen)),
        int(torch.randint(0, 11, (1,), generator=gen)),
    )
    x[t0 : t0 + w] = fill
    f0, fw = (
        int(torch.randint(0, M - 6, (1,), generator=gen)),
        int(torch.randint(0, 7, (1,), generator=gen)),
    )
    x[:, f0 : f0 + fw] = fill
    return x


def trained_model(
    cfg: TrainConfig = TrainConfig(), log: Callable[[str], None] = print
) -> tuple[CTCRecognizer, C.Corpus]:
    """The model for `cfg` from the cache, trained (and cached) first if absent; and its corpus."""
    data = C.build(cfg.n_train, cfg.n_test, cfg.seed)
    path = cached_path(cfg)
    if path.exists():
        return CTCRecognizer.from_dict(torch.load(path, weights_only=False)), data
    log(f"training the recogniser ({cfg.n_train} utterances, {cfg.epochs} epochs)")
    model, _ = train(cfg, data, log)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.to_dict(), path)
    return model, data


def cached_path(cfg: TrainConfig) -> Path:
    """Where the model trained with `cfg` is cached."""
    return cache_dir("speech", anchor=__file__) / f"model-{cfg.key()}.pt"


def language_model(data: C.Corpus, order: int = 5) -> CharNGramLM:
    """A character n-gram model of the training transcripts (held-out sentences unseen)."""
    return CharNGramLM(order, alphabet=ALPHABET[1:]).fit(u.text for u in data.train[0])


@torch.no_grad()
def log_probs(model: CTCRecognizer, audio: np.ndarray) -> np.ndarray:
    """Per-step log-probabilities (T, n_symbols) of one utterance."""
    out, _ = model(torch.from_numpy(features(audio))[None])
    return out[0].numpy()


def transcribe(
    model: CTCRecognizer, audio: np.ndarray, lm: CharNGramLM | None = None, beam: int = 0
) -> str:
    """Text of one utterance: greedy when `beam` is 0, else prefix beam search (+ LM)."""
    lp = log_probs(model, audio)
    if beam <= 0:
        return decode(greedy_decode(lp))
    best = prefix_beam_search(
        lp, beam_width=beam, lm=lm, alphabet=ALPHABET, lm_weight=0.5, length_bonus=0.5
    )
    return decode(list(best[0][0]))


def score(
    model: CTCRecognizer, split: tuple[list[C.Utterance], list[np.ndarray]], **kwargs: object
) -> dict[str, float]:
    """WER and CER of `transcribe` over a test split."""
    utts, waves = split
    hyps = [transcribe(model, w, **kwargs) for w in waves]  # type: ignore[arg-type]
    refs = [u.text for u in utts]
    return {"wer": wer(refs, hyps), "cer": cer(refs, hyps)}


def main(argv: list[str] | None = None) -> None:
    """`python -m phase6_tracks.speech.train [--export PATH]`: train (or load) and save."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--export", type=Path, help="write the checkpoint here (for the service)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    model, data = trained_model(TrainConfig())
    print("held-out sentences:", score(model, data.held_out))
    if args.export:
        args.export.parent.mkdir(parents=True, exist_ok=True)
        torch.save(model.to_dict(), args.export)
        print(f"checkpoint written to {args.export}")


if __name__ == "__main__":
    main()
