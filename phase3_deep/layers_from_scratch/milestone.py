from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.layers_from_scratch",
    title="Neural-network layers with hand-written backward passes",
    claim="linear, conv2d (im2col), batch norm, layer norm, softmax, cross-entropy, dropout, "
    "GELU (erf and tanh), ReLU and max-pool as autograd Functions with hand-written backward "
    "equal torch.nn.functional in value and gradient (float64 gradcheck, float32 1e-5)",
    reference="torch",
    demo="phase3_deep.layers_from_scratch.demo:main",
    parity="phase3_deep.layers_from_scratch.parity:checks",
    bench="phase3_deep.layers_from_scratch.bench:run",
    exercises=("linear_backward", "cross_entropy_forward_backward", "layer_norm_backward"),
    requirements=("numpy", "torch"),
    local_deps=(),
)
