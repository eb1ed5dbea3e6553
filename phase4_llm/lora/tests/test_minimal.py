"""The minimal LoRA (`minimal.py`) against PEFT's LoRA layer and the full `LoRALinear`:
outputs, the gradients of A and B, and the merged weight."""

import copy

import pytest
import torch
from torch import nn

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.lora import minimal
from phase4_llm.lora.layer import LoRALinear

PEFT = reference_version("peft")
FULL = "the full phase4_llm.lora LoRALinear"
TOL = dict(rtol=1e-10, atol=1e-12)  # float64, two small matmuls: rounding only


class Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(12, 7).double()

    def forward(self, x):
        return self.proj(x)


@pytest.fixture(scope="module")
def layers():
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    base = Tiny()
    ours = minimal.LoRALinear(copy.deepcopy(base.proj), r=4, alpha=8.0).double()
    with torch.no_grad():  # a trained-looking adapter: B away from its zero start
        ours.lora_B.weight.normal_(generator=torch.Generator().manual_seed(1))
    peft = get_peft_model(
        copy.deepcopy(base), LoraConfig(r=4, lora_alpha=8, target_modules=["proj"])
    )
    full = LoRALinear(copy.deepcopy(base.proj), r=4, alpha=8.0).double()
    with torch.no_grad():
        peft_layer = peft.base_model.model.proj
        for other_a, other_b in (
            (peft_layer.lora_A["default"].weight, peft_layer.lora_B["default"].weight),
            (full.lora_A.weight, full.lora_B.weight),
        ):
            other_a.copy_(ours.lora_A.weight)
            other_b.copy_(ours.lora_B.weight)
    return ours, peft, full


def _out_and_grads(model, a, b, x):
    model.zero_grad()
    y = model(x)
    (y * torch.linspace(-1, 1, y.shape[-1], dtype=y.dtype)).sum().backward()
    return y.detach(), a.grad.clone(), b.grad.clone()


@pytest.mark.parametrize("which", ["peft", "full"])
def test_outputs_and_adapter_gradients(layers, which):
    ours, peft, full = layers
    x = torch.randn(3, 5, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    got = _out_and_grads(ours, ours.lora_A.weight, ours.lora_B.weight, x)
    if which == "peft":
        layer = peft.base_model.model.proj
        a, b = layer.lora_A["default"].weight, layer.lora_B["default"].weight
        expected, reference = _out_and_grads(peft, a, b, x), f"{PEFT} LoRA"
    else:
        expected, reference = _out_and_grads(full, full.lora_A.weight, full.lora_B.weight, x), FULL
    for name, g, e in zip(("output", "dA", "dB"), got, expected, strict=True):
        assert_parity(g, e, reference=reference, **TOL, name=f"lora {name}")


def test_merged_weight_equals_peft_merge(layers):
    ours, peft, _ = layers
    merged = copy.deepcopy(peft).merge_and_unload()
    a, b = ours.lora_A.weight.detach(), ours.lora_B.weight.detach()
    assert_parity(
        minimal.merged_weight(ours.base_layer.weight, a, b, ours.scaling),
        merged.proj.weight,
        reference=f"{PEFT} merge_and_unload",
        **TOL,
        name="merged weight",
    )
