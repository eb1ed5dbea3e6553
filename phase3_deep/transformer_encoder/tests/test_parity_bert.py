"""A BERT-style encoder from our layers loads a tiny random transformers BertModel's weights and
equals it (hidden states, input-embedding and parameter gradients), padding masks included."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.transformer_encoder import reference_pairs as rp
from phase3_deep.transformer_encoder.weights import bert_name, from_bert

REF = reference_version("transformers")


@pytest.mark.parametrize("lengths", [[7, 7], [7, 4], [2, 5, 7]])
def test_bert_encoder_equals_bert_model_with_padding(lengths):
    ours, ref, rename = rp.bert_pair(seed=len(lengths))
    n = len(lengths)
    mask = (torch.arange(7)[None, :] < torch.tensor(lengths)[:, None]).long()
    embeds = torch.randn(n, 7, 16, dtype=torch.float64)
    for what, a, b in rp.run_both(
        ours,
        ref,
        rename,
        [embeds],
        lambda m, e: m(inputs_embeds=e, attention_mask=mask),
        lambda m, e: m(inputs_embeds=e, attention_mask=mask).last_hidden_state,
    ):
        # float64, same formulas: BERT's additive "min float" mask and our -inf give the same
        # zero weights after exp underflow
        assert_parity(a, b, reference=REF, rtol=1e-10, atol=1e-12, name=f"BERT {what}")


def test_bert_encoder_from_token_ids_equals_bert_model():
    ours, ref, _ = rp.bert_pair(seed=9, layers=1)
    ids = torch.randint(0, 50, (2, 6), generator=torch.Generator().manual_seed(0))
    types = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    ours.eval()
    ref.eval()
    with torch.no_grad():
        got = ours(ids, token_type_ids=types)
        want = ref(input_ids=ids, token_type_ids=types).last_hidden_state
    assert_parity(got, want, reference=REF, rtol=1e-10, atol=1e-12, name="BERT from ids")


def test_every_bert_tensor_has_exactly_one_home():
    ours, ref, _ = rp.bert_pair()
    mapped = from_bert(ref.state_dict())
    assert set(mapped) == set(ours.state_dict())
    assert bert_name("encoder.layer.1.attention.output.LayerNorm.weight") == "layers.1.norm1.weight"
    assert bert_name("pooler.dense.weight") == "pooler.weight"
    with pytest.raises(KeyError, match="no mapping"):
        bert_name("cls.predictions.bias")  # a pre-training head is not part of the encoder
