"""Backpropagation by hand: each layer is a forward and a backward function on plain tensors.

The idea only: no autograd, no modules, no input checks. A forward returns its output and a
cache of what the backward needs; a backward takes dL/d(output) and returns dL/d(each input).
Chained, they train a two-layer classifier: linear -> ReLU -> linear -> softmax cross-entropy
(`mlp_loss_and_grads`), whose gradients equal torch autograd's.
"""

from __future__ import annotations

import torch
from torch import Tensor


def linear_forward(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    """y = x W^T + b for x (n, in), W (out, in), b (out,) -> y (n, out)."""
    return x @ w.t() + b


def linear_backward(grad_y: Tensor, x: Tensor, w: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """dL/dx (n, in), dL/dW (out, in), dL/db (out,) from dL/dy (n, out).

    Hint: y = x W^T + b, so dx = dy W, dW = dy^T x, db sums dy over the batch.
    """
    return grad_y @ w, grad_y.t() @ x, grad_y.sum(0)


def relu_backward(grad_y: Tensor, x: Tensor) -> Tensor:
    """dL/dx of y = max(x, 0): the gradient passes where x > 0 and is 0 elsewhere."""
    return grad_y * (x > 0)


def cross_entropy_forward_backward(logits: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """Mean -log softmax(logits)[target] over the batch, and its gradient w.r.t. the logits.

    logits (n, classes), target (n,) integer classes -> (loss scalar, grad (n, classes)).
    Hint: subtract the row max before exp; the gradient is (softmax - one_hot(target)) / n.
    """
    n = logits.shape[0]
    shifted = logits - logits.amax(1, keepdim=True)  # exp never overflows; softmax unchanged
    log_probs = shifted - shifted.exp().sum(1, keepdim=True).log()  # (n, classes)
    loss = -log_probs[torch.arange(n), target].mean()
    grad = log_probs.exp()  # softmax, (n, classes)
    grad[torch.arange(n), target] -= 1.0
    return loss, grad / n


def layer_norm_forward(
    x: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5
) -> tuple[Tensor, tuple[Tensor, Tensor]]:
    """Normalise each row of x (n, d) to mean 0, variance 1, then scale and shift.

    Returns y (n, d) and the cache (x_hat, 1/std) that the backward needs.
    """
    mean = x.mean(1, keepdim=True)  # (n, 1)
    invstd = (x.var(1, unbiased=False, keepdim=True) + eps).rsqrt()  # (n, 1)
    x_hat = (x - mean) * invstd  # (n, d)
    return x_hat * gamma + beta, (x_hat, invstd)


def layer_norm_backward(
    grad_y: Tensor, x_hat: Tensor, invstd: Tensor, gamma: Tensor
) -> tuple[Tensor, Tensor, Tensor]:
    """dL/dx (n, d), dL/dgamma (d,), dL/dbeta (d,) of layer norm, from dL/dy (n, d).

    Hint: with g = dy * gamma, dx = invstd * (g - mean(g) - x_hat * mean(g * x_hat)) per row.
    """
    g = grad_y * gamma  # dL/dx_hat
    grad_x = invstd * (g - g.mean(1, keepdim=True) - x_hat * (g * x_hat).mean(1, keepdim=True))
    return grad_x, (grad_y * x_hat).sum(0), grad_y.sum(0)


def mlp_loss_and_grads(
    x: Tensor, target: Tensor, params: dict[str, Tensor]
) -> tuple[Tensor, dict[str, Tensor]]:
    """Loss of linear(w1, b1) -> ReLU -> linear(w2, b2) -> cross-entropy, and every gradient."""
    h = linear_forward(x, params["w1"], params["b1"])  # (n, hidden)
    a = torch.relu(h)
    logits = linear_forward(a, params["w2"], params["b2"])  # (n, classes)
    loss, grad_logits = cross_entropy_forward_backward(logits, target)
    # Backward: the chain rule, layer by layer in reverse order.
    grad_a, grad_w2, grad_b2 = linear_backward(grad_logits, a, params["w2"])
    grad_h = relu_backward(grad_a, h)
    _, grad_w1, grad_b1 = linear_backward(grad_h, x, params["w1"])
    return loss, {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}
