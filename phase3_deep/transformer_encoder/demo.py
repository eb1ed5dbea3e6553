"""Demo: our attention, encoder layers, BERT-style encoder and LSTM beside torch and
transformers with the same weights; prints the largest difference of each comparison."""

from __future__ import annotations


def main(quick: bool = False) -> None:
    """Print every parity comparison (float64) grouped by module, with its reference."""
    from phase0_env.common.seeding import seed_everything

    from .parity import checks

    seed_everything(0)
    print("attention / encoder layers / BERT / LSTM vs their references (float64, same weights)")
    print(f"{'comparison':<72} {'reference':<22} {'max |diff|':>10}  ok")
    results = checks()
    for r in results:
        print(f"{r.name:<72} {r.reference:<22} {r.max_error:10.2e}  {'yes' if r.passed else 'NO'}")
    print(f"\n{sum(r.passed for r in results)} of {len(results)} comparisons within 1e-10")


if __name__ == "__main__":
    main()
