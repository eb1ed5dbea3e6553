"""Demo: run every hand-written layer beside torch.nn.functional and print the largest
difference in value and gradient, in float64 and float32."""

from __future__ import annotations


def main(quick: bool = False) -> None:
    """Print a parity table: layer, dtype, max |ours - torch| over outputs and gradients."""
    import torch

    from phase0_env.common.parity import reference_version
    from phase0_env.common.seeding import seed_everything

    from .cases import TOL, outputs_and_grads, pairs, random_inputs

    seed_everything(0)
    print(f"hand-written layers vs {reference_version('torch')} (outputs and input gradients)")
    print(f"{'layer':<26} {'dtype':<8} {'max |diff|':>11} {'bound':>8}  ok")
    for i, (name, (ours, theirs, shapes)) in enumerate(pairs().items()):
        for dtype in (torch.float64, torch.float32):
            inputs = random_inputs(shapes, dtype, seed=i)
            a, b = outputs_and_grads(ours, inputs), outputs_and_grads(theirs, inputs)
            diff = max(float((x - y).abs().max()) for x, y in zip(a, b, strict=True))
            rtol, atol = TOL[dtype]
            ok = all(torch.allclose(x, y, rtol=rtol, atol=atol) for x, y in zip(a, b, strict=True))
            tag = str(dtype).removeprefix("torch.")
            print(f"{name:<26} {tag:<8} {diff:11.3g} {rtol:8.0e}  {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
