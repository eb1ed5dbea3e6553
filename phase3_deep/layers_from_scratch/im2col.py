"""im2col / col2im: turn a convolution into one matrix product, and scatter its gradient back.

`im2col(x (N,C,H,W), kernel, stride, padding) -> cols (N, C*kh*kw, OH*OW)`; column `l` holds
the receptive field of output pixel `l`, so `conv2d = weight.view(O, -1) @ cols`.
`col2im` is its adjoint (overlapping windows add up), which is exactly the input gradient.
"""

from __future__ import annotations

import torch


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """`3 -> (3, 3)`; a pair stays a pair."""
    if isinstance(value, int):
        return (value, value)
    a, b = value
    return (int(a), int(b))


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Output length of a window sweep: `output_size(8, 3, 2, 1) == 4`."""
    return (size + 2 * padding - kernel) // stride + 1


def im2col(
    x: torch.Tensor,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    pad_value: float = 0.0,
) -> torch.Tensor:
    """Patches of `x` as columns: (N, C*kh*kw, OH*OW), channel-major like `weight.view(O, -1)`."""
    n, c = x.shape[:2]
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    padded = torch.nn.functional.pad(x, (pw, pw, ph, ph), value=pad_value) if ph or pw else x
    # unfold gives a strided view (N, C, OH, OW, kh, kw) without copying; one reshape copies.
    windows = padded.unfold(2, kh, sh).unfold(3, kw, sw)
    oh, ow = windows.shape[2], windows.shape[3]
    return windows.permute(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, oh * ow)


def col2im(
    cols: torch.Tensor,
    input_shape: tuple[int, ...],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> torch.Tensor:
    """Adjoint of `im2col`: sum every column entry back onto the input pixel it came from."""
    n, c, h, w = input_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    oh, ow = output_size(h, kh, sh, ph), output_size(w, kw, sw, pw)
    patches = cols.reshape(n, c, kh, kw, oh, ow)
    out = cols.new_zeros((n, c, h + 2 * ph, w + 2 * pw))
    # One strided add per kernel offset (kh*kw of them, small), each a dense slice.
    for i in range(kh):
        for j in range(kw):
            out[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += patches[:, :, i, j]
    return out[:, :, ph : ph + h, pw : pw + w]
