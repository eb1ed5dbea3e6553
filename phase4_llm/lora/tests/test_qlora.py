"""QLoRA: adapters over a base whose linear weights are quantized (NF4 and int8, from
phase4_llm/quantization). The frozen codes never change; only the adapters train."""

import copy

import pytest
import torch

from phase0_env.common.parity import assert_parity
from phase4_llm.lora.demo import next_token_accuracy, successor_batch
from phase4_llm.lora.layer import LoRALinear
from phase4_llm.lora.parity import TARGETS
from phase4_llm.lora.reference import randomise_adapters, tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers
from phase4_llm.quantization.qlinear import QuantLinear, quantize_linears


def _codes(model):
    # Keyed by the layer's path before wrapping (LoRA moves it under `.base_layer`).
    return {
        n.removesuffix(".base_layer"): {
            k: v.clone() for k, v in vars(m.qweight).items() if isinstance(v, torch.Tensor)
        }
        for n, m in model.named_modules()
        if isinstance(m, QuantLinear)
    }


@pytest.mark.parametrize("scheme", ["nf4", "int8"])
def test_qlora_equals_lora_on_the_dequantized_weights(scheme):
    # The quantized model and a float model holding the dequantized weights must give the
    # same outputs once the same adapters sit on both: the adapter path is identical.
    quant = quantize_linears(tiny_llama(0), scheme, group_size=16, skip=("lm_head",))
    dense = copy.deepcopy(tiny_llama(0))
    with torch.no_grad():
        for name, module in quant.named_modules():
            if isinstance(module, QuantLinear):
                dense.get_submodule(name).weight.copy_(module.qweight.dequantize())
    config = LoRAConfig(target_modules=TARGETS, r=4, alpha=8)
    apply_lora(quant, config)
    apply_lora(dense, config)
    randomise_adapters(quant, seed=3)
    randomise_adapters(dense, seed=3)
    with torch.no_grad():
        for (_, a), (_, b) in zip(lora_layers(quant), lora_layers(dense), strict=True):
            b.lora_A.weight.copy_(a.lora_A.weight)
    ids = successor_batch(torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert_parity(
            quant(input_ids=ids).logits,
            dense(input_ids=ids).logits,
            reference="ours, dequantized float base",
            rtol=1e-5,
            atol=1e-5,
            name=f"QLoRA ({scheme})",
        )


def test_qlora_learns_the_task_and_leaves_the_quantized_codes_untouched():
    torch.manual_seed(0)
    model = quantize_linears(tiny_llama(0), "nf4", group_size=16, skip=("lm_head",))
    before = _codes(model)
    apply_lora(model, LoRAConfig(target_modules=TARGETS, r=8, alpha=16))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=1e-2)
    gen = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(60):
        ids = successor_batch(gen)
        loss = model(input_ids=ids, labels=ids).loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    assert next_token_accuracy(model, successor_batch(torch.Generator().manual_seed(99))) >= 0.9
    after = _codes(model)
    assert before.keys() == after.keys() and before
    assert all(torch.equal(before[n][k], after[n][k]) for n in before for k in before[n])


def test_merging_into_a_quantized_base_is_refused():
    layer = LoRALinear(QuantLinear(torch.nn.Linear(16, 8), "nf4", group_size=16), r=2)
    with pytest.raises(NotImplementedError, match="quantized base"):
        layer.merge()
