"""Demo: train a small tokenizer, then load cl100k_base and SmolLM2's and compare ids."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def main(quick: bool = False) -> None:
    """Train, encode, export; print ids side by side with tiktoken and tokenizers."""
    from phase0_env.common.parity import reference_version

    from .bpe import BPETokenizer
    from .corpus import SPECIALS, parity_corpus
    from .formats import load_cl100k_base, to_hf_json
    from .reference import smollm2_hf_tokenizer, smollm2_ours, tiktoken_cl100k

    train_text = parity_corpus(30_000 if quick else 200_000, seed=1)
    start = time.perf_counter()
    tok = BPETokenizer(
        vocab_size=512 if quick else 2048, pattern="cl100k", special_tokens=SPECIALS[:1]
    ).fit(train_text)
    print(
        f"trained {tok.n_vocab} tokens on {len(train_text):,} chars "
        f"in {time.perf_counter() - start:.2f}s"
    )
    sample = "Hello world! Naïve café 👩‍💻 12345678 <|endoftext|>def f(x):\n    return x"
    ids = tok.encode(sample, allowed_special="all")
    print(f"{len(ids)} ids: {[tok.decode([i]) for i in ids][:20]}")
    with tempfile.TemporaryDirectory() as tmp:
        from tokenizers import Tokenizer

        hf = Tokenizer.from_file(str(to_hf_json(tok, Path(tmp) / "tokenizer.json")))
        print(
            f"exported tokenizer.json, tokenizers gives equal ids: {hf.encode(sample).ids == ids}"
        )

    text = parity_corpus(50_000 if quick else 1_000_000, seed=0)
    rows = [
        (
            "cl100k_base",
            load_cl100k_base().encode(text, allowed_special="all"),
            tiktoken_cl100k().encode(text, allowed_special="all"),
            reference_version("tiktoken"),
        ),
        (
            "SmolLM2 (GGUF)",
            smollm2_ours().encode(text, allowed_special="all"),
            smollm2_hf_tokenizer().encode(text).ids,
            reference_version("tokenizers"),
        ),
    ]
    print(f"\n{'tokenizer':<16} {'chars':>9} {'ids':>8}  identical  reference")
    for name, ours, ref, version in rows:
        print(f"{name:<16} {len(text):>9,} {len(ours):>8,}  {ours == ref!s:<9}  {version}")
