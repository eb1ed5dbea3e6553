"""Parity checks: attention vs torch (function and nn.MultiheadAttention), encoder layers vs
nn.TransformerEncoderLayer in both norm orders, a BERT-style encoder vs transformers' BertModel,
and the LSTM vs nn.LSTM step by step; outputs, input and parameter gradients, float64."""

from __future__ import annotations

from phase0_env.common.parity import ParityResult, compare, reference_version

# float64, the same formulas up to summation order
RTOL, ATOL = 1e-10, 1e-12


def checks() -> list[ParityResult]:
    """Every comparison of this milestone (a few seconds)."""
    import torch
    import torch.nn.functional as TF

    from . import reference_pairs as rp
    from .attention import causal_mask, scaled_dot_product_attention

    torch_ref, hf_ref = reference_version("torch"), reference_version("transformers")
    gen = torch.Generator().manual_seed(0)
    out: list[ParityResult] = []

    def add(prefix, rows, reference):
        out.extend(
            compare(f"{prefix}: {what}", a, b, reference=reference, rtol=RTOL, atol=ATOL)
            for what, a, b in rows
        )

    q, k, v = torch.randn(3, 2, 2, 5, 4, dtype=torch.float64, generator=gen).unbind(0)
    mask = causal_mask(5) | (torch.rand(5, 5, generator=gen) > 0.5)
    for name, kwargs in (("bool mask", {"attn_mask": mask}), ("causal", {"is_causal": True})):
        out.append(
            compare(
                f"sdpa {name}",
                scaled_dot_product_attention(q, k, v, **kwargs),
                TF.scaled_dot_product_attention(q, k, v, **kwargs),
                reference=torch_ref,
                rtol=RTOL,
                atol=ATOL,
            )
        )

    x = torch.randn(3, 6, 8, dtype=torch.float64, generator=gen)
    pad = torch.zeros(3, 6, dtype=torch.bool)
    pad[0, 4:], pad[2, 5] = True, True
    causal = ~causal_mask(6)
    ours, ref, rename = rp.mha_pair()
    add(
        "MultiheadAttention padding+causal",
        rp.run_both(
            ours,
            ref,
            rename,
            [x],
            lambda m, t: m(t, key_padding_mask=pad, attn_mask=causal),
            lambda m, t: m(t, t, t, key_padding_mask=pad, attn_mask=causal, need_weights=False)[0],
        ),
        torch_ref,
    )
    for norm_first in (False, True):
        for act in ("relu", "gelu"):
            ours, ref, rename = rp.encoder_pair(norm_first, act)
            order = "pre-norm" if norm_first else "post-norm"
            add(
                f"TransformerEncoderLayer {order} {act} padding",
                rp.run_both(
                    ours,
                    ref,
                    rename,
                    [x],
                    lambda m, t: m(t, src_key_padding_mask=pad),
                    lambda m, t: m(t, src_key_padding_mask=pad),
                ),
                torch_ref,
            )
            add(
                f"TransformerEncoderLayer {order} {act} causal",
                rp.run_both(
                    ours,
                    ref,
                    rename,
                    [x],
                    lambda m, t: m(t, src_mask=causal, is_causal=True),
                    lambda m, t: m(t, src_mask=causal, is_causal=True),
                ),
                torch_ref,
            )

    ours, ref, rename = rp.bert_pair()
    embeds = torch.randn(2, 7, 16, dtype=torch.float64, generator=gen)
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    attention_mask[1, 5:] = 0
    add(
        "BertModel (2 layers) with padding",
        rp.run_both(
            ours,
            ref,
            rename,
            [embeds],
            lambda m, e: m(inputs_embeds=e, attention_mask=attention_mask),
            lambda m, e: m(inputs_embeds=e, attention_mask=attention_mask).last_hidden_state,
        ),
        hf_ref,
    )

    ours, ref, rename = rp.bert_pair(seed=3, pooler=True)  # transformers' default BertModel
    add(
        "BertModel with pooler (pooled output)",
        rp.run_both(
            ours,
            ref,
            rename,
            [embeds],
            lambda m, e: m.pool(m(inputs_embeds=e, attention_mask=attention_mask)),
            lambda m, e: m(inputs_embeds=e, attention_mask=attention_mask).pooler_output,
        ),
        hf_ref,
    )

    ours, ref, rename = rp.lstm_pair()
    seq = torch.randn(2, 6, 3, dtype=torch.float64, generator=gen)
    add("LSTM sequence", rp.run_both(ours, ref, rename, [seq], _ours_lstm, _ref_lstm), torch_ref)
    return out


def _ours_lstm(model, x):
    hs, cs = model.forward_steps(x)
    return torch_cat_steps(hs, cs)


def _ref_lstm(model, x):
    """nn.LSTM one step at a time, feeding its state back, so c is visible at every step."""
    import torch

    hs, cs, state = [], [], None
    for t in range(x.shape[1]):
        _, state = model(x[:, t : t + 1], state)
        hs.append(state[0][0])
        cs.append(state[1][0])
    return torch_cat_steps(torch.stack(hs, 1), torch.stack(cs, 1))


def torch_cat_steps(hs, cs):
    """h and c of every step side by side: (N, T, 2H)."""
    import torch

    return torch.cat([hs, cs], dim=-1)
