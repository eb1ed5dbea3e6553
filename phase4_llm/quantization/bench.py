"""Benchmark: quantize/dequantize vs bitsandbytes (3 sizes), and the SmolLM2 quantization table."""

from __future__ import annotations

from functools import partial

import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from . import reference as ref
from .four_bit import quantize_nf4
from .int8 import quantize_int8_absmax

SCHEMES = ("fp32", "bf16", "int8", "int8_zp", "int4", "nf4")


def run(quick: bool = False) -> list[BenchRow]:
    """NF4 and int8 quantization speed vs bitsandbytes; SmolLM2 memory, perplexity, tokens/s."""
    bnb = reference_version("bitsandbytes")
    rows = []
    for n in sizes(quick, full=(256, 1024, 4096), small=(128, 256, 512)):
        w = torch.randn(n, n, generator=torch.Generator().manual_seed(n))
        same = torch.equal(quantize_nf4(w).packed, ref.bnb_nf4(w)[0])
        rows.append(
            compare(
                "NF4 quantize",
                f"{n}x{n}",
                partial(quantize_nf4, w),
                partial(ref.bnb_nf4, w),
                reference=bnb,
                repeats=3,
                quality={"codes identical": same},
            )
        )
        same = torch.equal(quantize_int8_absmax(w).codes, ref.bnb_int8_rows(w)[0])
        rows.append(
            compare(
                "int8 vector-wise quantize",
                f"{n}x{n}",
                partial(quantize_int8_absmax, w),
                partial(ref.bnb_int8_rows, w),
                reference=bnb,
                repeats=3,
                quality={"codes identical": same},
            )
        )
    rows.extend(smollm2_table(quick))
    return rows


def smollm2_table(quick: bool) -> list[BenchRow]:
    """One row per scheme: fp32 SmolLM2 as the reference; memory, perplexity and tokens/s."""
    from phase4_llm.gpt.smollm2 import load_smollm2_reference
    from phase4_llm.gpt.weights import from_hf

    from .evaluate import bbc_text, compare_schemes

    hf, tok = load_smollm2_reference()
    model = from_hf(hf)
    # Each forward reads every weight (and dequantises it), so quick mode keeps three schemes.
    ids = tok(bbc_text(2), return_tensors="pt").input_ids[:, : 64 if quick else 512]
    schemes = ("fp32", "int8", "nf4") if quick else SCHEMES
    reports = compare_schemes(model, ids, schemes, new_tokens=2 if quick else 16)
    base = reports[0]
    rows = []
    for r in reports:
        rows.append(
            BenchRow(
                f"SmolLM2-135M {r.scheme}",
                f"{ids.shape[1]} tok",
                ours_s=1.0 / r.tokens_per_s,
                reference="fp32 (ours)",
                ref_s=1.0 / base.tokens_per_s,
                quality={
                    "MiB": round(r.megabytes, 1),
                    "perplexity": round(r.perplexity, 3),
                    "ppl change %": round(100 * (r.perplexity / base.perplexity - 1), 2),
                    "tok/s": round(r.tokens_per_s, 2),
                },
            )
        )
    return rows
