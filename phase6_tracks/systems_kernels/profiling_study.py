"""Run the profiling study and write its report (`python -m ...systems_kernels.profiling_study`).

Full mode profiles the real SmolLM2-135M (through phase 4's GPT); quick mode a small GQA
model of the same shape family, so the study runs in seconds. The report (markdown) goes to
`artifacts/phase6_tracks/systems_kernels/profiling{,_quick}.md` (`docs/` with
`--write-docs`), the Chrome traces to
`artifacts/phase6_tracks/profiling/` (open them in chrome://tracing or Perfetto).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch

from phase4_llm.gpt.model import GPT
from phase6_tracks.systems_kernels.profiling import (
    OpProfile,
    ab_ms,
    decode_step,
    expanded_kv,
    generation,
    gqa_config,
    profile_callable,
    training_step,
)

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TRACES = REPO / "artifacts" / "phase6_tracks" / "profiling"


def load_generation_model(quick: bool) -> tuple[GPT, str]:
    """SmolLM2-135M in our GPT (full) or a small seeded GQA model (quick)."""
    if quick:
        torch.manual_seed(0)
        return GPT(gqa_config()).eval(), "small GQA GPT (4 layers, 6 q / 2 kv heads, seeded)"
    from phase4_llm.gpt.smollm2 import load_smollm2_reference
    from phase4_llm.gpt.weights import from_hf

    hf, _ = load_smollm2_reference()
    return from_hf(hf).eval(), "SmolLM2-135M-Instruct (30 layers, 9 q / 3 kv heads)"


def decode_step_table(model: GPT, contexts: tuple[int, ...], repeats: int) -> list[dict]:
    """Decode-step time with copied kv heads vs broadcast, and whether the logits agree."""
    rows = []
    for context in contexts:
        step = decode_step(model, context)
        with expanded_kv(model):
            before_logits = step()
        after_logits = step()
        before, after = ab_ms(model, step, repeats)
        rows.append(
            {
                "context": context,
                "before_ms": before,
                "after_ms": after,
                "speedup": before / after,
                "max_abs_logit_diff": float((before_logits - after_logits).abs().max()),
            }
        )
    return rows


def run_study(quick: bool = False, out: Path | None = None) -> Path:
    """Profile, measure the fix, write the markdown report; return its path."""
    torch.manual_seed(0)
    torch.set_num_threads(min(2, torch.get_num_threads()))
    lines = ["# Profiling study: phase 4's GPT on this machine's CPU", ""]
    lines += [
        f"Mode: {'quick' if quick else 'full'}; torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads. Written by `profiling_study.py`.",
        "",
    ]

    train_cfg = gqa_config(block_size=256, vocab_size=8192)
    train_model = GPT(train_cfg)
    batch, seq = (4, 128) if quick else (8, 256)
    train = profile_callable(
        training_step(train_model, batch, seq), trace_path=TRACES / "training_step.json"
    )
    lines += [
        f"## 1. One AdamW training step (batch {batch} x {seq} tokens, "
        f"{sum(p.numel() for p in train_model.parameters()) / 1e6:.1f} M parameters)",
        "",
    ]
    lines += _profile_section(train)

    model, label = load_generation_model(quick)
    prompt, new = (64, 16) if quick else (512, 32)
    with expanded_kv(model):
        gen_before = profile_callable(
            generation(model, prompt, new), trace_path=TRACES / "generation_before.json"
        )
    gen_after = profile_callable(
        generation(model, prompt, new), trace_path=TRACES / "generation_after.json"
    )
    lines += [f"## 2. Greedy generation, {label}: prompt {prompt}, {new} new tokens", ""]
    lines += ["Before the fix (kv heads copied with `repeat_interleave`):", ""]
    lines += _profile_section(gen_before)
    lines += ["After the fix (`enable_gqa`: SDPA broadcasts the kv heads):", ""]
    lines += _profile_section(gen_after)

    contexts = (128, 512, 2048) if quick else (512, 2048, 8000)
    table = decode_step_table(model, contexts, repeats=7 if quick else 9)
    lines += ["## 3. The measured improvement: one decoding step at a given context", ""]
    lines += [
        "| cached tokens | before (ms) | after (ms) | speedup | max abs logit diff |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['context']} | {r['before_ms']:.2f} | {r['after_ms']:.2f} | "
        f"{r['speedup']:.2f}x | {r['max_abs_logit_diff']:.1e} |"
        for r in table
    ]
    lines.append("")
    from phase0_env.common.outputs import study_output

    out = out or study_output(HERE, "profiling_quick.md" if quick else "profiling.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _profile_section(p: OpProfile) -> list[str]:
    lines = [f"Operator self time: {p.total_ms:.1f} ms.", ""]
    if p.regions:
        lines.append("Phases: " + ", ".join(f"{k} {v:.1f} ms" for k, v in p.regions.items()))
        lines.append("")
    lines += ["| category | ms | share |", "|---|---|---|"]
    lines += [f"| {k} | {v:.1f} | {v / p.total_ms:.0%} |" for k, v in p.by_category.items()]
    lines += ["", "| top operators (self time) | ms | calls |", "|---|---|---|"]
    lines += [f"| `{name}` | {ms:.1f} | {calls} |" for name, ms, calls in p.top_ops[:6]]
    lines += ["", "| top allocating operators | MB |", "|---|---|"]
    lines += [f"| `{name}` | {mb:.1f} |" for name, mb in p.top_memory[:4]]
    return [*lines, ""]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small model, seconds not minutes")
    parser.add_argument("--write-docs", action="store_true", help="write the report to docs/")
    args = parser.parse_args(argv)
    if args.write_docs:
        from phase0_env.common.outputs import WRITE_DOCS_ENV

        os.environ[WRITE_DOCS_ENV] = "1"
    path = run_study(args.quick)
    print(path.read_text(encoding="utf-8"))
    print(f"report: {path}\ntraces: {TRACES}")


if __name__ == "__main__":
    main()
