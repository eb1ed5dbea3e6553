"""The nn.Module wrappers carry torch.nn's parameter names and shapes: a torch.nn state_dict
loads with strict=True and the outputs (train and eval) and parameter gradients then match."""

import torch
from torch import nn

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.layers_from_scratch import modules as M

REF = reference_version("torch")


def _pair(ours_cls, torch_cls, *args, **kwargs):
    torch.manual_seed(0)
    theirs = torch_cls(*args, **kwargs).double()
    ours = ours_cls(*args, **kwargs).double()
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: v.shape for k, v in theirs.state_dict().items()
    }
    ours.load_state_dict(theirs.state_dict(), strict=True)
    return ours, theirs


def _run_both(ours, theirs, x):
    xs = [x.clone().requires_grad_(), x.clone().requires_grad_()]
    outs = [m(t) for m, t in zip((ours, theirs), xs, strict=True)]
    for out in outs:
        (out * torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)).sum().backward()
    assert_parity(
        outs[0].detach(),
        outs[1].detach(),
        reference=REF,
        rtol=1e-10,
        atol=1e-12,
        name=f"{type(ours).__name__} output",
    )
    assert_parity(
        xs[0].grad,
        xs[1].grad,
        reference=REF,
        rtol=1e-10,
        atol=1e-12,
        name=f"{type(ours).__name__} input grad",
    )
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        assert_parity(
            p.grad,
            theirs_params[name].grad,
            reference=REF,
            rtol=1e-10,
            atol=1e-12,
            name=f"{type(ours).__name__}.{name} grad",
        )


def test_linear_loads_torch_state_dict_and_matches():
    ours, theirs = _pair(M.Linear, nn.Linear, 5, 3)
    _run_both(ours, theirs, torch.randn(4, 5, dtype=torch.float64))


def test_conv2d_loads_torch_state_dict_and_matches():
    ours, theirs = _pair(M.Conv2d, nn.Conv2d, 3, 4, 3, stride=2, padding=1)
    _run_both(ours, theirs, torch.randn(2, 3, 7, 7, dtype=torch.float64))


def test_batchnorm2d_matches_in_train_then_eval_with_running_stats():
    ours, theirs = _pair(M.BatchNorm2d, nn.BatchNorm2d, 3)
    for _ in range(3):  # three training batches move the running statistics
        _run_both(ours, theirs, torch.randn(4, 3, 5, 5, dtype=torch.float64))
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        assert_parity(
            getattr(ours, name), getattr(theirs, name), reference=REF, rtol=1e-10, name=name
        )
    ours.eval()
    theirs.eval()
    _run_both(ours, theirs, torch.randn(4, 3, 5, 5, dtype=torch.float64))


def test_batchnorm2d_cumulative_average_when_momentum_is_none():
    ours, theirs = _pair(M.BatchNorm2d, nn.BatchNorm2d, 2, momentum=None)
    for _ in range(3):
        _run_both(ours, theirs, torch.randn(3, 2, 4, 4, dtype=torch.float64))
    assert_parity(ours.running_var, theirs.running_var, reference=REF, rtol=1e-10, name="rv")


def test_layernorm_loads_torch_state_dict_and_matches():
    ours, theirs = _pair(M.LayerNorm, nn.LayerNorm, (4, 6))
    with torch.no_grad():
        theirs.weight.normal_()
        theirs.bias.normal_()
    ours.load_state_dict(theirs.state_dict())
    _run_both(ours, theirs, torch.randn(3, 4, 6, dtype=torch.float64))


def test_dropout_module_is_identity_in_eval_and_seeded_in_train():
    ours, theirs = M.Dropout(0.4), nn.Dropout(0.4)
    x = torch.randn(6, 9, dtype=torch.float64)
    torch.manual_seed(7)
    a = ours(x)
    torch.manual_seed(7)
    assert_parity(a, theirs(x), reference=REF, exact=True, name="dropout train")
    ours.eval()
    assert ours(x) is x


def test_default_initialisation_has_torchs_scale():
    torch.manual_seed(0)
    a = nn.Linear(64, 32).weight
    torch.manual_seed(0)
    b = M.Linear(64, 32).weight
    assert_parity(b, a, reference=REF, exact=True, name="Linear init with the same seed")


def test_batchnorm2d_without_running_stats_uses_batch_statistics_in_eval_too():
    ours, theirs = _pair(M.BatchNorm2d, nn.BatchNorm2d, 3, track_running_stats=False)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias"]
    ours.eval()
    theirs.eval()
    _run_both(ours, theirs, torch.randn(4, 3, 5, 5, dtype=torch.float64))
