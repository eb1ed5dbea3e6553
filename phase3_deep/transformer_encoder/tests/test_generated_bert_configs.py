"""BertStyleEncoder equals transformers' BertModel on generated configurations (seeded random
weights, float64): hidden states, pooled output, input and parameter gradients; anything
outside the supported space is refused with a clear error."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import BertConfig, BertModel

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.transformer_encoder.bert import BERT_ACTIVATIONS, BertStyleEncoder
from phase3_deep.transformer_encoder.weights import bert_name

REF = reference_version("transformers")
# float64 and the same formulas; gelu_new is the tanh formula in Python against torch's
# kernel, equal to rounding. Sums over at most a few hundred terms stay far inside 1e-10.
RTOL, ATOL = 1e-10, 1e-12


@st.composite
def bert_configs(draw) -> dict:
    heads = draw(st.sampled_from([1, 2, 4]))
    vocab = draw(st.integers(5, 60))
    return {
        "vocab_size": vocab,
        # width >= 4: LayerNorm over one or two features is constant (0 or +-1), so its
        # gradient is pure rounding noise, amplified by 1/sqrt(var + eps), in both libraries
        "hidden_size": heads * draw(st.sampled_from([2, 4, 8] if heads > 1 else [4, 8])),
        "num_hidden_layers": draw(st.integers(0, 3)),
        "num_attention_heads": heads,
        "intermediate_size": draw(st.integers(1, 40)),
        "hidden_act": draw(st.sampled_from(sorted(BERT_ACTIVATIONS))),
        "layer_norm_eps": draw(st.sampled_from([1e-12, 1e-6, 1e-3, 0.5])),
        "max_position_embeddings": draw(st.integers(6, 40)),
        "type_vocab_size": draw(st.integers(1, 4)),
        "pad_token_id": draw(st.one_of(st.none(), st.integers(0, vocab - 1))),
    }


def _pair(cfg: dict, seed: int, pooler: bool = True, dropout: float = 0.0):
    torch.manual_seed(seed)
    config = BertConfig(
        **cfg,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        attn_implementation="eager",
    )
    ref = BertModel(config, add_pooling_layer=pooler).double()
    with torch.no_grad():  # BERT initialises LayerNorm to (1, 0) and biases to 0: vary them
        for p in ref.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    return BertStyleEncoder.from_bert(ref), ref


def _inputs(cfg: dict, seed: int, n: int = 3, length: int = 6):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, cfg["vocab_size"], (n, length), generator=g)
    if cfg["pad_token_id"] is not None:
        ids[0, -2:] = cfg["pad_token_id"]  # pad rows must get no gradient, as in nn.Embedding
    types = torch.randint(0, cfg["type_vocab_size"], (n, length), generator=g)
    lengths = torch.randint(1, length + 1, (n,), generator=g)
    mask = (torch.arange(length)[None, :] < lengths[:, None]).long()
    return ids, types, mask


@given(bert_configs(), st.integers(0, 2**16))
def test_generated_bert_configs_equal_bert_model_outputs_and_gradients(cfg, seed):
    ours, ref = _pair(cfg, seed)
    ids, types, mask = _inputs(cfg, seed)
    hidden = ours(ids, attention_mask=mask, token_type_ids=types)
    pooled = ours.pool(hidden)
    out = ref(input_ids=ids, attention_mask=mask, token_type_ids=types)
    name = f"BERT {cfg}"
    assert_parity(hidden, out.last_hidden_state, reference=REF, rtol=RTOL, atol=ATOL, name=name)
    assert_parity(pooled, out.pooler_output, reference=REF, rtol=RTOL, atol=ATOL, name=name)
    (hidden.square().sum() + pooled.sum()).backward()
    (out.last_hidden_state.square().sum() + out.pooler_output.sum()).backward()
    ref_grads = {bert_name(k): p.grad for k, p in ref.named_parameters()}
    for k, p in ours.named_parameters():
        want = ref_grads[k] if ref_grads[k] is not None else torch.zeros_like(p)
        assert_parity(p.grad, want, reference=REF, rtol=RTOL, atol=ATOL, name=f"{name} grad {k}")


@pytest.mark.parametrize("pooler", [True, False])
def test_default_bert_model_with_pooler_loads_and_dropout_rates_carry_over(pooler):
    # A BertModel keeps its pooler by default; from_bert raised KeyError on it before.
    cfg = {
        "vocab_size": 30,
        "hidden_size": 8,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 16,
        "pad_token_id": 0,
    }
    ours, ref = _pair(cfg, seed=1, pooler=pooler, dropout=0.1)
    assert (ours.pooler is not None) == pooler
    assert ours.embedding_dropout.p == 0.1 and ours.layers[0].self_attn.dropout == 0.1
    ours.eval()
    ref.eval()  # dropout masks cannot match across libraries; eval mode must
    ids, types, mask = _inputs({**cfg, "type_vocab_size": 2}, seed=2)
    with torch.no_grad():
        hidden = ours(ids, attention_mask=mask, token_type_ids=types)
        out = ref(input_ids=ids, attention_mask=mask, token_type_ids=types)
    assert_parity(hidden, out.last_hidden_state, reference=REF, rtol=RTOL, atol=ATOL)
    if pooler:
        assert_parity(ours.pool(hidden), out.pooler_output, reference=REF, rtol=RTOL, atol=ATOL)
    else:
        with pytest.raises(ValueError, match="no pooler"):
            ours.pool(hidden)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hidden_act", "silu", "hidden_act 'silu' is not implemented"),
        ("hidden_act", "gelu_fast", "hidden_act 'gelu_fast' is not implemented"),
        ("position_embedding_type", "relative_key", "position_embedding_type"),
        ("is_decoder", True, "decoder"),
        ("add_cross_attention", True, "decoder"),
    ],
)
def test_unsupported_bert_fields_are_refused(field, value, message):
    config = BertConfig(
        vocab_size=20, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=8,
    )  # fmt: skip
    ref = BertModel(config)
    setattr(ref.config, field, value)  # a loaded model whose config asks for it
    with pytest.raises(ValueError, match=message):
        BertStyleEncoder.from_bert(ref)


@pytest.mark.slow  # ~200 generated configurations: a minute or more on two busy cores
@settings(max_examples=200)
@given(bert_configs(), st.integers(0, 2**16))
def test_generated_bert_configs_equal_bert_model_larger_budget(cfg, seed):
    test_generated_bert_configs_equal_bert_model_outputs_and_gradients.hypothesis.inner_test(
        cfg, seed
    )
