"""One forward pass of the GPT over a ragged batch of requests, each with its own KV slot.

Row i brings `n_new[i]` new tokens (a whole prompt at prefill, one token when decoding),
right-padded to the longest row, and has `past[i]` tokens cached already. Positions are
per row (`past[i] + j`), new keys/values go into the row's slot of the pool, and an attention
mask lets query j of row i see exactly keys 0..past[i]+j of that row: padding and other
requests' stale cache entries are masked out, so a row's result does not depend on its
neighbours. Reuses the `phase4_llm.gpt` modules (embeddings, norms, projections, MLP).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from phase4_llm.gpt.model import GPT, apply_rotary

from .kv_pool import SlotKVPool


@torch.no_grad()
def forward_batch(
    model: GPT,
    pool: SlotKVPool,
    tokens: torch.Tensor,
    n_new: torch.Tensor,
    past: torch.Tensor,
    slots: list[int],
) -> torch.Tensor:
    """Next-token logits (batch, vocab) at each row's last new token; fills the rows' KV slots.

    tokens: (batch, time) right-padded ids; n_new, past: (batch,) counts; slots: pool rows.
    """
    b, t = tokens.shape
    device = tokens.device
    cfg = model.config
    j = torch.arange(t, device=device)
    pos = past[:, None] + j[None, :]  # absolute position of every (row, new token)
    valid = j[None, :] < n_new[:, None]
    total = past + n_new
    if int(total.max()) > pool.max_len:
        raise ValueError(f"a row needs {int(total.max())} positions > slot size {pool.max_len}")
    pos_emb = pos.clamp(max=cfg.block_size - 1)  # padded positions may run past the table
    x = model.wte(tokens)
    if cfg.position == "learned":
        x = x + model.wpe(pos_emb)
    elif cfg.position == "sinusoidal":
        x = x + model.wpe_table[pos_emb].to(x.dtype)
    rope = None
    if model.rotary is not None:
        # Same formula as RotaryEmbedding.forward, but a (batch, 1, time, head_dim) table.
        freqs = pos_emb.float()[..., None] * model.rotary.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)[:, None]
        rope = (emb.cos().to(x.dtype), emb.sin().to(x.dtype))
    n_keys = int(total.max())
    key_idx = torch.arange(n_keys, device=device)
    # Key k is visible to query (i, j) when k <= past_i + j (causal) and k < past_i + n_i (real).
    mask = (key_idx[None, None, :] <= pos[:, :, None]) & (key_idx < total[:, None, None])
    mask = mask[:, None]  # broadcast over heads
    rows, cols = valid.nonzero(as_tuple=True)
    slot_t = torch.tensor(slots, device=device)
    write_slots, write_pos = slot_t[rows], pos[rows, cols]
    contiguous = slots == list(range(slots[0], slots[0] + b))
    for layer, block in enumerate(model.blocks):
        attn = block.attn
        h = block.norm_1(x)
        q = attn.q_proj(h).view(b, t, attn.n_head, attn.head_dim).transpose(1, 2)
        k = attn.k_proj(h).view(b, t, attn.n_kv_head, attn.head_dim).transpose(1, 2)
        v = attn.v_proj(h).view(b, t, attn.n_kv_head, attn.head_dim).transpose(1, 2)
        if rope is not None:
            q, k = apply_rotary(q, *rope), apply_rotary(k, *rope)
        cache_k, cache_v = pool.keys[layer], pool.values[layer]
        cache_k[write_slots, :, write_pos] = k.transpose(1, 2)[rows, cols]
        cache_v[write_slots, :, write_pos] = v.transpose(1, 2)[rows, cols]
        if contiguous:  # packed slots: a view, no copy
            keys = cache_k[slots[0] : slots[0] + b, :, :n_keys]
            values = cache_v[slots[0] : slots[0] + b, :, :n_keys]
        else:
            keys, values = cache_k[slot_t, :, :n_keys], cache_v[slot_t, :, :n_keys]
        if attn.n_kv_head != attn.n_head:
            keys = keys.repeat_interleave(attn.n_head // attn.n_kv_head, dim=1)
            values = values.repeat_interleave(attn.n_head // attn.n_kv_head, dim=1)
        y = F.scaled_dot_product_attention(q, keys, values, attn_mask=mask, scale=attn.scale)
        x = x + attn.o_proj(y.transpose(1, 2).reshape(b, t, -1))
        x = x + block.mlp(block.norm_2(x))
    last = x[torch.arange(b, device=device), n_new - 1]
    return model.lm_head(model.norm_f(last)).float()
