"""The CTC loss by the forward-backward algorithm in log space, with its exact gradient.

Graves et al. (2006): the target `l` is stretched to `l' = (blank, l1, blank, l2, ..., blank)`
of length S = 2L + 1; alpha[t, s] sums the probability of every path prefix that ends in l'_s
at frame t, beta[t, s] every suffix that starts there. The loss is -log(alpha[T-1, S-1] +
alpha[T-1, S-2]); the gradient with respect to log_probs[t, c] is minus the posterior
occupancy of symbol c at frame t, sum over {s : l'_s = c} of alpha * beta / p(l | x).

`ctc_loss` takes torch's arguments (log_probs (T, N, C), targets, lengths, blank, reduction,
zero_infinity) and equals `torch.nn.functional.ctc_loss` in value. Gradients: ours is the
exact derivative with respect to `log_probs`; torch's kernel returns that plus
exp(log_probs) * grad_output (the term that cancels when log_probs come from log_softmax), so
through a log_softmax both agree; `tests/test_ctc_parity.py` checks both statements.
"""

from __future__ import annotations

from typing import Any

import torch

NEG_INF = float("-inf")


def extended_targets(
    targets: torch.Tensor, target_lengths: torch.Tensor, blank: int
) -> torch.Tensor:
    """Targets with blanks around every label: (N, L_max) -> (N, 2 L_max + 1)."""
    N, L = targets.shape
    ext = torch.full((N, 2 * L + 1), blank, dtype=torch.long)
    # padding past a target's length becomes blank, so it is never a label
    in_target = torch.arange(L)[None, :] < target_lengths[:, None]  # (N, L)
    ext[:, 1::2] = torch.where(in_target, targets, blank)
    return ext


def _shift(x: torch.Tensor, k: int) -> torch.Tensor:
    """x moved k states right (k > 0) or left (k < 0) along dim 1, -inf filling the gap."""
    out = torch.full_like(x, NEG_INF)
    if abs(k) < x.shape[1]:
        if k > 0:
            out[:, k:] = x[:, :-k]
        else:
            out[:, :k] = x[:, -k:]
    return out


def _lse(*xs: torch.Tensor) -> torch.Tensor:
    """log(sum(exp(x))) over the given tensors, elementwise; -inf when all are -inf."""
    return torch.logsumexp(torch.stack(xs), dim=0)


def forward_backward(
    log_probs: torch.Tensor,
    targets: torch.Tensor,
    input_lengths: torch.Tensor,
    target_lengths: torch.Tensor,
    blank: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Log alpha, log beta (T, N, S), the extended targets (N, S) and the per-sample NLL (N,)."""
    T, N, _ = log_probs.shape
    ext = extended_targets(targets, target_lengths, blank)  # (N, S)
    S = ext.shape[1]
    s_len = 2 * target_lengths + 1  # (N,) used length of each extended target
    lp = log_probs.gather(2, ext[None].expand(T, N, S))  # (T, N, S): log p(l'_s at t)
    # A path may jump over a blank from s-2 to s unless l'_s is a blank or repeats l'_{s-2}.
    skip = torch.zeros(N, S, dtype=torch.bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    s_idx = torch.arange(S)[None, :]  # (1, S)
    valid = s_idx < s_len[:, None]  # (N, S)
    neg = torch.full((N, S), NEG_INF, dtype=log_probs.dtype)
    alpha = torch.full((T, N, S), NEG_INF, dtype=log_probs.dtype)
    alpha[0, :, :2] = lp[0, :, :2]
    alpha[0] = torch.where(valid, alpha[0], neg)
    for t in range(1, T):
        prev = alpha[t - 1]
        shift1, shift2 = _shift(prev, 1), torch.where(skip, _shift(prev, 2), neg)
        alpha[t] = torch.where(valid, _lse(prev, shift1, shift2) + lp[t], neg)
    beta = torch.full((T, N, S), NEG_INF, dtype=log_probs.dtype)
    last = (input_lengths - 1).clamp(min=0)  # (N,) each sample's final frame
    ends = (s_idx == s_len[:, None] - 1) | (s_idx == s_len[:, None] - 2)  # (N, S)
    # skip_next[s]: the jump s -> s+2 is allowed (that is skip[s+2]).
    skip_next = torch.zeros_like(skip)
    skip_next[:, :-2] = skip[:, 2:]
    for t in range(T - 1, -1, -1):
        is_last = (last == t)[:, None]  # (N, 1)
        start = torch.where(ends & valid, lp[t], neg)
        if t < T - 1:
            nxt = beta[t + 1]
            shift1, shift2 = _shift(nxt, -1), torch.where(skip_next, _shift(nxt, -2), neg)
            step = torch.where(valid, _lse(nxt, shift1, shift2) + lp[t], neg)
        else:
            step = neg
        after = (t > last)[:, None]  # frames past an input's length carry nothing
        beta[t] = torch.where(is_last, start, torch.where(after, neg, step))
    batch = torch.arange(N)
    a_last = alpha[last, batch]  # (N, S)
    end_a = a_last.gather(1, (s_len - 1)[:, None]).squeeze(1)
    end_b = torch.where(
        s_len > 1,
        a_last.gather(1, (s_len - 2).clamp(min=0)[:, None]).squeeze(1),
        torch.full_like(end_a, NEG_INF),
    )
    nll = -torch.logaddexp(end_a, end_b)
    return alpha, beta, ext, nll


class _CTC(torch.autograd.Function):
    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any,
        log_probs: torch.Tensor,
        targets: torch.Tensor,
        input_lengths: torch.Tensor,
        target_lengths: torch.Tensor,
        blank: int,
    ) -> torch.Tensor:
        with torch.no_grad():
            alpha, beta, ext, nll = forward_backward(
                log_probs, targets, input_lengths, target_lengths, blank
            )
        ctx.save_for_backward(log_probs, alpha, beta, ext, nll, input_lengths)
        return nll

    @staticmethod
    def backward(ctx: Any, grad_nll: torch.Tensor) -> tuple[torch.Tensor | None, ...]:  # type: ignore[override]
        log_probs, alpha, beta, ext, nll, input_lengths = ctx.saved_tensors
        T, N, _ = log_probs.shape
        lp = log_probs.gather(2, ext[None].expand(T, N, ext.shape[1]))
        # Posterior occupancy of state s at frame t; alpha and beta both include frame t's
        # emission, so one copy of it is divided out.
        occupancy = torch.exp(alpha + beta - lp + nll[None, :, None])  # (T, N, S)
        occupancy = torch.nan_to_num(occupancy, nan=0.0)  # -inf - -inf on impossible states
        grad = torch.zeros_like(log_probs).scatter_add_(
            2, ext[None].expand(T, N, ext.shape[1]), occupancy
        )
        finite = torch.isfinite(nll)[None, :, None]
        grad = torch.where(finite, -grad, torch.zeros_like(grad))
        past = torch.arange(T)[:, None] >= input_lengths[None, :]  # (T, N) frames not used
        grad = grad.masked_fill(past[:, :, None], 0.0)
        return grad * grad_nll[None, :, None], None, None, None, None


def ctc_loss(
    log_probs: torch.Tensor,
    targets: torch.Tensor,
    input_lengths: torch.Tensor | list[int],
    target_lengths: torch.Tensor | list[int],
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> torch.Tensor:
    """CTC negative log-likelihood with torch's signature (padded 2-D or concatenated targets)."""
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"reduction {reduction!r} must be 'none', 'mean' or 'sum'")
    input_lengths = torch.as_tensor(input_lengths, dtype=torch.long)
    target_lengths = torch.as_tensor(target_lengths, dtype=torch.long)
    targets = torch.as_tensor(targets, dtype=torch.long)
    if targets.dim() == 1:  # concatenated targets -> padded (N, L_max)
        longest = int(target_lengths.max()) if len(target_lengths) else 0
        padded = torch.full((len(target_lengths), longest), blank, dtype=torch.long)
        offsets = torch.cumsum(target_lengths, 0) - target_lengths
        for n, (o, n_l) in enumerate(zip(offsets.tolist(), target_lengths.tolist(), strict=True)):
            padded[n, :n_l] = targets[o : o + n_l]
        targets = padded
    if int(input_lengths.max()) > log_probs.shape[0]:
        raise ValueError("an input length exceeds the number of frames in log_probs")
    nll = _CTC.apply(log_probs, targets, input_lengths, target_lengths, blank)
    if zero_infinity:
        nll = torch.where(torch.isinf(nll), torch.zeros_like(nll), nll)
    if reduction == "none":
        return nll
    if reduction == "sum":
        return nll.sum()
    return (nll / target_lengths.clamp(min=1).to(nll.dtype)).mean()
