"""The profiling study: its summaries add up, and its fix leaves the model's outputs unchanged."""

import json

import pytest
import torch

from phase0_env.common.parity import assert_parity
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT
from phase6_tracks.systems_kernels.profiling import (
    ExpandedKVAttention,
    ab_ms,
    category_of,
    decode_step,
    expanded_kv,
    gqa_config,
    profile_callable,
    training_step,
)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return GPT(gqa_config(n_layer=2, n_embd=96, block_size=256)).eval()


def test_broadcast_kv_heads_give_the_logits_of_copied_heads_bit_for_bit(model):
    idx = torch.randint(
        0, model.config.vocab_size, (2, 37), generator=torch.Generator().manual_seed(1)
    )
    with torch.no_grad():
        after, _ = model(idx)
        with expanded_kv(model):
            before, _ = model(idx)
    # Exact: both paths reduce the same numbers in the same order (SDPA broadcasts the head).
    assert_parity(
        after,
        before,
        reference="torch repeat_interleave path",
        rtol=0,
        atol=0,
        name="prefill logits",
    )
    assert not any(isinstance(m, ExpandedKVAttention) for m in model.modules())


def test_generation_with_the_fix_is_token_identical(model):
    idx = torch.randint(
        0, model.config.vocab_size, (1, 20), generator=torch.Generator().manual_seed(2)
    )
    with expanded_kv(model):
        before = generate(model, idx, 24)
    assert torch.equal(generate(model, idx, 24), before)


def test_decode_step_and_ab_timing_run_both_paths(model):
    step = decode_step(model, 100)
    with expanded_kv(model):
        before = step()
    assert torch.equal(step(), before)
    copied_ms, broadcast_ms = ab_ms(model, step, repeats=2)
    assert copied_ms > 0 and broadcast_ms > 0  # timings exist; their ratio is the bench's job


@pytest.mark.parametrize(
    "name,category",
    [
        ("aten::mm", "matmul"),
        ("aten::addmm", "matmul"),
        ("aten::_scaled_dot_product_flash_attention_for_cpu", "attention"),
        ("aten::copy_", "copies and layout"),
        ("aten::repeat_interleave", "copies and layout"),
        ("aten::_foreach_mul_", "optimizer"),
        ("aten::silu", "elementwise"),
        ("aten::embedding", "other"),
    ],
)
def test_operators_fall_into_the_documented_categories(name, category):
    assert category_of(name) == category


def test_training_step_profile_adds_up_and_writes_a_chrome_trace(model, tmp_path):
    trace = tmp_path / "step.json"
    prof = profile_callable(training_step(model, batch=2, seq=32), trace_path=trace)
    assert prof.total_ms == pytest.approx(sum(prof.by_category.values()))
    assert prof.by_category["matmul"] > 0 and "optimizer" in prof.by_category
    assert set(prof.regions) == {"forward", "backward", "optimizer"}
    assert sum(prof.shares().values()) == pytest.approx(1.0)
    assert prof.top_ops == sorted(prof.top_ops, key=lambda r: -r[1])
    events = json.loads(trace.read_text())["traceEvents"]
    assert any(e.get("name") == "study:backward" for e in events)
