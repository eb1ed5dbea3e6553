"""The functional API in one import.

`from phase3_deep.layers_from_scratch import functional as scratch`,
then `scratch.conv2d(...)` etc. (not `F`: readers expect that to be `torch.nn.functional`).
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
