"""Our LoRA equals PEFT's: outputs, gradients, dropout, rsLoRA, adapter files, merging."""

import copy

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.lora.parity import ATOL, RTOL, checks, pair, tokens
from phase4_llm.lora.wrap import LoRAConfig

PEFT = reference_version("peft")


def test_every_parity_check_passes():
    results = checks()
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert len(results) == 14 and not failed, failed


@pytest.mark.parametrize("r,alpha,rslora", [(1, 1.0, False), (4, 32.0, False), (8, 8.0, True)])
@pytest.mark.parametrize("batch,length", [(1, 5), (3, 17)])
def test_outputs_match_peft_across_ranks_and_shapes(r, alpha, rslora, batch, length):
    config = LoRAConfig(target_modules=["q_proj", "up_proj"], r=r, alpha=alpha, use_rslora=rslora)
    _, ours, theirs = pair(config, seed=r)
    ids = tokens(seed=batch, batch=batch, length=length)
    with torch.no_grad():
        assert_parity(
            ours(input_ids=ids).logits,
            theirs(input_ids=ids).logits,
            reference=PEFT,
            rtol=RTOL,
            atol=ATOL,
            name="logits",
        )


def test_only_adapters_receive_gradients():
    _, ours, _ = pair(LoRAConfig(r=2))
    ours(input_ids=tokens(), labels=tokens()).loss.backward()
    with_grad = {n for n, p in ours.named_parameters() if p.grad is not None}
    assert with_grad and all(".lora_A." in n or ".lora_B." in n for n in with_grad)


def test_a_fresh_adapter_changes_nothing():
    from phase4_llm.lora.reference import tiny_llama
    from phase4_llm.lora.wrap import apply_lora

    base = tiny_llama(0)
    ours = apply_lora(copy.deepcopy(base), LoRAConfig(r=4))
    ids = tokens()
    with torch.no_grad():
        assert torch.equal(ours(input_ids=ids).logits, base(input_ids=ids).logits)
