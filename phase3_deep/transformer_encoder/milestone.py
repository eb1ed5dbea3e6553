from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.transformer_encoder",
    title="Attention, Transformer encoder layers and an LSTM",
    claim="scaled dot-product and multi-head attention with padding and causal masks, pre-norm "
    "and post-norm encoder layers and an LSTM built from our layers equal "
    "torch.nn.MultiheadAttention, nn.TransformerEncoderLayer, a random BertModel and nn.LSTM "
    "(outputs and gradients)",
    reference="torch, transformers",
    demo="phase3_deep.transformer_encoder.demo:main",
    parity="phase3_deep.transformer_encoder.parity:checks",
    bench="phase3_deep.transformer_encoder.bench:run",
    exercises=("attention",),
    requirements=("numpy", "torch", "transformers"),
    local_deps=("phase3_deep.layers_from_scratch",),
)
