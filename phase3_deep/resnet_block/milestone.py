from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.resnet_block",
    title="ResNet blocks from hand-written layers",
    claim="BasicBlock and Bottleneck (projection shortcut: 1x1 conv + BN) built from our layers "
    "load a random transformers ResNetModel's weights and equal it (outputs and input "
    "gradients, train and eval, running statistics); a small ResNet learns sklearn digits",
    reference="transformers",
    demo="phase3_deep.resnet_block.demo:main",
    parity="phase3_deep.resnet_block.parity:checks",
    bench="phase3_deep.resnet_block.bench:run",
    exercises=("basic_block_forward",),
    requirements=("numpy", "torch", "transformers", "scikit-learn"),
    local_deps=("phase3_deep.layers_from_scratch",),
)
