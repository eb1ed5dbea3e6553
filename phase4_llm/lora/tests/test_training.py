"""Adapters alone teach the frozen base a new task; merging keeps what they learnt."""

import copy

import torch

from phase4_llm.lora.demo import next_token_accuracy, successor_batch
from phase4_llm.lora.parity import TARGETS
from phase4_llm.lora.reference import tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, merge_lora


def test_sixty_steps_of_lora_learn_the_successor_task_and_survive_merging():
    torch.manual_seed(0)
    base = tiny_llama(0)
    frozen = {k: v.clone() for k, v in base.state_dict().items()}
    model = apply_lora(copy.deepcopy(base), LoRAConfig(target_modules=TARGETS, r=8, alpha=16))
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    gen = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(60):
        ids = successor_batch(gen)
        loss = model(input_ids=ids, labels=ids).loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    held_out = successor_batch(torch.Generator().manual_seed(99))
    assert next_token_accuracy(base, held_out) < 0.05
    learnt = next_token_accuracy(model, held_out)
    assert learnt >= 0.9
    merge_lora(model)
    assert next_token_accuracy(model, held_out) == learnt
    # The base model object was never touched: adapters live in the copy only.
    assert all(torch.equal(v, base.state_dict()[k]) for k, v in frozen.items())
