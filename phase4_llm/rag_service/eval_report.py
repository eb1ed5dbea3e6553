"""The evaluation report as Markdown: per split, retrieval per mode, answers per generator (and
the TF-IDF baseline), answer-type and tag breakdowns, then minimums and targets."""

from __future__ import annotations

from typing import Any

RETRIEVAL = ("recall@1", "recall@5", "mrr")
ANSWER = (
    ("EM", "em"),
    ("F1", "f1"),
    ("contains gold", "contains_gold"),
    ("cit. precision", "citation_precision"),
    ("cit. support", "citation_support"),
    ("grounded", "groundedness"),
    ("answered", "answered"),
    ("decline P", "decline_precision"),
    ("decline R", "decline_recall"),
    ("false decline", "false_decline_rate"),
    ("p50 ms", "p50_ms"),
    ("p95 ms", "p95_ms"),
    ("p99 ms", "p99_ms"),
)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.1f}" if abs(v) >= 10 else f"{v:.3f}"
    return str(v)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows]


def to_markdown(report: dict) -> str:
    """Every split's tables, in the order a reader checks them."""
    lines = [
        f"# RAG evaluation ({report['embedder']}, {report['documents']} BBC articles, "
        f"{report['chunks']} chunks, ingest {report['ingest_s']:.1f} s)",
        "",
    ]
    for name, split in report["splits"].items():
        lines += [
            f"## {name} split: {split['questions']} questions, "
            f"{split['unanswerable']} unanswerable",
            "",
        ]
        rows = [[mode] + [m[c] for c in RETRIEVAL] for mode, m in split["retrieval"].items()]
        lines += [*_table(["retrieval", *RETRIEVAL], rows), ""]
        rows = [
            [gen, a["questions"]] + [a[key] for _, key in ANSWER]
            for gen, a in split["answers"].items()
        ]
        lines += [*_table(["generator", "n", *(h for h, _ in ANSWER)], rows), ""]
        for part, gens in split.get("by_part", {}).items():
            rows = [
                [gen, a["questions"]] + [a[key] for _, key in ANSWER] for gen, a in gens.items()
            ]
            lines += [f"{name}, {part} part:", ""]
            lines += [*_table(["generator", "n", *(h for h, _ in ANSWER)], rows), ""]
        for group in ("by_type", "by_tag"):
            sub = split[group]
            gens = sorted({g for per in sub.values() for g in per})
            rows = [
                [key, next(iter(per.values()))["n"]]
                + [
                    f"{per[g]['em']:.2f} / {per[g]['contains_gold']:.2f}"
                    if g in per and per[g]["em"] is not None
                    else "-"
                    for g in gens
                ]
                for key, per in sorted(sub.items())
            ]
            lines += _table(
                [group.replace("_", " "), "n", *(f"{g} EM / contains" for g in gens)], rows
            )
            lines += [""]
        lines += [
            "TF-IDF baseline decline threshold (fitted on the dev part and the training split): "
            f"{split['baseline_min_cosine']}; pipeline evidence threshold: "
            f"{', '.join(f'{k} {v}' for k, v in split.get('min_evidence', {}).items()) or '-'}",
            "",
        ]
    if report.get("skipped"):
        lines += [f"Skipped generators: {report['skipped']}", ""]
    lines += [
        f"Below the cloze minimums: {report['failures'] or 'none'}",
        "",
        f"Targets not met (natural held-out part): {report['target_misses'] or 'none'}",
    ]
    return "\n".join(lines) + "\n"
