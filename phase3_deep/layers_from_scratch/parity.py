"""Parity checks: every hand-written layer against torch.nn.functional, value and gradient,
in float64 (tolerance 1e-10) and float32 (1e-5), plus gradcheck of every backward."""

from __future__ import annotations

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .cases import TOL, gradcheck_function, outputs_and_grads, pairs, random_inputs


def checks() -> list[ParityResult]:
    """Value and input-gradient parity per layer and dtype, and float64 gradcheck (seconds)."""
    import torch

    ref = reference_version("torch")
    results = []
    for i, (name, (ours, theirs, shapes)) in enumerate(pairs().items()):
        for dtype in (torch.float64, torch.float32):
            inputs = random_inputs(shapes, dtype, seed=i)
            a = outputs_and_grads(ours, inputs)
            b = outputs_and_grads(theirs, inputs)
            rtol, atol = TOL[dtype]
            tag = str(dtype).removeprefix("torch.")
            flat_a = torch.cat([t.flatten() for t in a])
            flat_b = torch.cat([t.flatten() for t in b])
            results.append(
                compare(
                    f"{name} value+grads {tag}", flat_a, flat_b, reference=ref, rtol=rtol, atol=atol
                )
            )
        inputs = [t.requires_grad_() for t in random_inputs(shapes, torch.float64, seed=i)]
        passed = torch.autograd.gradcheck(
            gradcheck_function(name, ours), inputs, raise_exception=False, fast_mode=True
        )
        results.append(
            behaviour(
                f"{name} gradcheck float64",
                passed,
                "finite differences agree with the hand-written backward",
            )
        )
    return results
