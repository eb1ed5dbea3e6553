"""Demo: quantize one weight four ways (vs bitsandbytes), then SmolLM2-135M in each scheme."""

from __future__ import annotations

import torch

from . import reference as ref
from .four_bit import quantize_group_int4, quantize_nf4
from .int8 import quantize_int8_absmax, quantize_int8_zero_point


def main(quick: bool = False) -> None:
    """Print round-trip errors, parity with bitsandbytes, and the SmolLM2 table."""
    w = torch.randn(576, 1536, generator=torch.Generator().manual_seed(0)) * 0.02
    print("one 576x1536 weight (N(0, 0.02)): mean |w - dequant(quant(w))|")
    for name, q in (
        ("int8 absmax", quantize_int8_absmax(w)),
        ("int8 zero-point", quantize_int8_zero_point(w)),
        ("int4 group-64 RTN", quantize_group_int4(w, 64)),
        ("NF4 block-64", quantize_nf4(w, 64)),
    ):
        print(f"  {name:<18} {(q.dequantize() - w).abs().mean().item():.3e}")
    nf4, bnb_packed = quantize_nf4(w), ref.bnb_nf4(w)[0]
    i8, bnb_codes = quantize_int8_absmax(w), ref.bnb_int8_rows(w)[0]
    print(f"NF4 codes identical to bitsandbytes: {torch.equal(nf4.packed, bnb_packed)}")
    print(f"int8 codes identical to bitsandbytes: {torch.equal(i8.codes, bnb_codes)}")
    from phase4_llm.gpt.smollm2 import load_smollm2_reference
    from phase4_llm.gpt.weights import from_hf

    from .bench import SCHEMES
    from .evaluate import bbc_text, compare_schemes

    hf, tok = load_smollm2_reference()
    model = from_hf(hf)
    ids = tok(bbc_text(2), return_tensors="pt").input_ids[:, : 64 if quick else 512]
    schemes = ("fp32", "int8", "nf4") if quick else SCHEMES
    reports = compare_schemes(model, ids, schemes, new_tokens=2 if quick else 16)
    base = reports[0].perplexity
    print(f"\nSmolLM2-135M on {ids.shape[1]} BBC News tokens (embeddings/head stay fp32):")
    print(f"{'scheme':<9} {'MiB':>8} {'perplexity':>11} {'change':>8} {'tok/s':>7}")
    for r in reports:
        change = 100 * (r.perplexity / base - 1)
        print(
            f"{r.scheme:<9} {r.megabytes:8.1f} {r.perplexity:11.3f} {change:+7.2f}% "
            f"{r.tokens_per_s:7.2f}"
        )
