"""Demo: score seeded system outputs with every metric and show the reference libraries' values."""

from __future__ import annotations


def main(quick: bool = False) -> None:
    """Print BLEU, ROUGE, perplexity, SQuAD EM/F1 and the safety screen's measured quality."""
    import numpy as np
    import sacrebleu
    import torch
    from rouge_score import rouge_scorer

    from .bleu import corpus_bleu
    from .perplexity import perplexity
    from .qa import squad_scores
    from .rouge import ROUGE_TYPES, rouge
    from .safety import screen, screen_metrics
    from .samples import summary_set, translation_set

    n = 100 if quick else 1000
    hyps, refs = translation_set(n, seed=0)
    print(f"corpus BLEU on {n} BBC sentences (2 references)")
    for method in ("none", "floor", "add-k", "exp"):
        ours = corpus_bleu(hyps, refs, smooth_method=method).score
        ref = sacrebleu.corpus_bleu(hyps, refs, smooth_method=method).score
        print(
            f"  smooth={method:<6} ours {ours:9.5f}  sacrebleu {ref:9.5f}"
            f"  |diff| {abs(ours - ref):.1e}"
        )

    targets, preds = summary_set(50 if quick else 300, seed=0)
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    print(f"\nmean ROUGE F1 on {len(targets)} summaries (Porter stemming)")
    for k in ROUGE_TYPES:
        ours = float(
            np.mean(
                [
                    rouge(t, p, use_stemmer=True)[k].fmeasure
                    for t, p in zip(targets, preds, strict=True)
                ]
            )
        )
        ref = np.mean([scorer.score(t, p)[k].fmeasure for t, p in zip(targets, preds, strict=True)])
        print(f"  {k:<10} ours {ours:.6f}  rouge-score {ref:.6f}")

    rng = np.random.default_rng(0)
    logits, targets_ids = rng.normal(size=(2, 16, 100)), rng.integers(0, 100, size=(2, 16))
    ref = torch.exp(
        torch.nn.functional.cross_entropy(
            torch.from_numpy(logits).reshape(-1, 100), torch.from_numpy(targets_ids).reshape(-1)
        )
    ).item()
    print(f"\nperplexity ours {perplexity(logits, targets_ids):.10f}  torch {ref:.10f}")

    qa = squad_scores(["Denver Broncos", "the 1889 fair"], [["Denver Broncos"], ["1889"]])
    print(f"SQuAD EM {qa['exact_match']:.1f}  F1 {qa['f1']:.1f}")

    print("\nsafety screen on the labelled set (data/safety_labels.v1.jsonl)")
    for cat, m in screen_metrics().items():
        print(
            f"  {cat:<10} precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
            f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"
        )
    example = "Sure! Email me at jane.doe@example.com, you idiot."
    print(f"  screen({example!r}) -> {sorted(screen(example).flags)}")
