"""The toolkit's pieces on small hand-made cases whose answer is known."""

import math

import pytest
import torch
from torch import nn

from phase3_deep.debug_drills import checks, data_checks
from phase3_deep.debug_drills.loop import DigitsLoop
from phase3_deep.debug_drills.nonfinite import first_nonfinite
from phase3_deep.debug_drills.stats import LayerStats, snapshot, update_ratios


class _LogLayer(nn.Module):
    def forward(self, x):
        return torch.log(x)


def test_nonfinite_names_the_first_module_and_op():
    model = nn.Sequential(nn.ReLU(), _LogLayer(), nn.Linear(3, 1))
    x = torch.tensor([[-1.0, 2.0, 3.0]])  # relu gives 0, log(0) = -inf
    found = first_nonfinite(model, lambda: model(x))
    assert found is not None
    assert (found.op, found.module, found.inputs_finite) == ("log", "module `1`", True)
    assert first_nonfinite(model, lambda: model(x.abs())) is None


def test_nonfinite_sees_half_precision_overflow():
    model = nn.Identity()
    found = first_nonfinite(model, lambda: torch.exp(torch.full((2,), 12.0, dtype=torch.float16)))
    assert found is not None and found.dtype == "float16" and found.op == "exp"


def test_determinism_check_names_the_first_diverging_tensor():
    assert checks.first_divergence(DigitsLoop("mlp")) is None
    assert checks.first_divergence(DigitsLoop("mlp", "unseeded_shuffle")) == "step 0 batch inputs"


def test_data_checks_on_known_cases():
    a = torch.arange(12.0).reshape(4, 3)
    b = torch.cat([a[:1], a[:1] + 100])
    assert data_checks.duplicate_share(a, b) == 0.5
    y = torch.tensor([0, 1, 0, 1])
    x = torch.stack([torch.tensor([5.0, 5.0, 5.0, 5.0]), y.float()], 1)
    assert data_checks.leaking_feature(x, y, x, y) == (1, 1.0)
    assert data_checks.feature_scale(torch.tensor([[0.0, 10.0], [2.0, 30.0]])) == (
        20.0,
        pytest.approx(10 * math.sqrt(2), rel=1e-12),
    )  # float64 std


def test_layer_stats_and_update_ratio():
    lin = nn.Linear(4, 4)
    model = nn.Sequential(lin, nn.ReLU())
    stats = LayerStats(model)
    model(torch.randn(8, 4, generator=torch.Generator().manual_seed(0)))
    stats.close()
    assert [a.module for a in stats.acts] == ["0", "1"]
    before = snapshot(model)
    with torch.no_grad():
        lin.weight.mul_(3.0)  # moves by twice its own norm
    assert abs(update_ratios(before, model)["0.weight"] - 2.0) < 1e-6


def test_dead_init_flags_both_activations_and_gradients():
    from phase3_deep.debug_drills.report import diagnose

    messages = [f.message for f in diagnose(DigitsLoop("mlp", "dead_init")).findings]
    assert any("output std" in m for m in messages)
    assert any("weight gradients vanish" in m for m in messages)
