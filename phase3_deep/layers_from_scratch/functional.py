"""The functional API in one import.

`from phase3_deep.layers_from_scratch import functional as scratch`,
then `scratch.conv2d(...)` etc. (not `F`: readers expect that to be `torch.nn.functional`).

What the ops add over the backward functions of `minimal.py` (same gradients, float64-equal):
each is a `torch.autograd.Function`, so it composes with any torch graph and `gradcheck`;
any leading dimensions, optional weight/bias, `ignore_index` and reductions as torch has them;
input checks with clear errors; and conv2d/max-pool over im2col, batch norm's running
statistics, seeded dropout and GELU, which the minimal version leaves out.
"""

from .activations import dropout, gelu, log_softmax, relu, softmax
from .conv import conv2d, max_pool2d
from .linear import linear
from .losses import cross_entropy
from .normalization import batch_norm, layer_norm

__all__ = [
    "batch_norm",
    "conv2d",
    "cross_entropy",
    "dropout",
    "gelu",
    "layer_norm",
    "linear",
    "log_softmax",
    "max_pool2d",
    "relu",
    "softmax",
]
