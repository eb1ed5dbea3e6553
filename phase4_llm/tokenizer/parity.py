"""Parity checks run by `roadmap parity` / `roadmap report`: ours vs tiktoken and tokenizers."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .bpe import BPETokenizer, count_chunks
from .corpus import SPECIALS, parity_corpus
from .formats import load_cl100k_base, to_hf_json, to_tiktoken
from .minimal import learn_merges
from .patterns import resolve_pattern
from .reference import smollm2_hf_tokenizer, smollm2_ours, tiktoken_cl100k, tiktoken_from_file
from .sweep import context_texts, sampled_code_points
from .training import train_merges

CHECK_CHARS = 200_000  # the tests run the full 1 MB corpus; checks() stays under ~30 s


def checks() -> list[ParityResult]:
    """Ids equal to tiktoken and tokenizers on mixed text; exports load with equal ids."""
    text = parity_corpus(CHECK_CHARS, seed=0)
    tt, hf = reference_version("tiktoken"), reference_version("tokenizers")
    ours_cl = load_cl100k_base()
    results = [
        compare(
            "cl100k_base ids vs tiktoken (200k chars, specials)",
            ours_cl.encode(text, allowed_special="all"),
            tiktoken_cl100k().encode(text, allowed_special="all"),
            reference=tt,
            exact=True,
        ),
        compare(
            "SmolLM2 GGUF tokenizer ids vs tokenizers",
            smollm2_ours().encode(text, allowed_special="all"),
            smollm2_hf_tokenizer().encode(text).ids,
            reference=hf,
            exact=True,
        ),
    ]
    # Every edge of the pinned letter/number tables and 1,000 random code points, each in seven
    # contexts; the tests sweep all 1.1M code points.
    sweep = [t for _, texts in context_texts(sampled_code_points(1_000, seed=5)) for t in texts]
    results += [
        compare(
            "cl100k ids vs tiktoken (code point sweep, 7 contexts)",
            [i for t in sweep for i in ours_cl.encode_ordinary(t)],
            [i for ids in tiktoken_cl100k().encode_ordinary_batch(sweep) for i in ids],
            reference=tt,
            exact=True,
        ),
        compare(
            "SmolLM2 ids vs tokenizers (code point sweep, digits split)",
            [i for t in sweep for i in smollm2_ours().encode_ordinary(t)],
            [i for e in smollm2_hf_tokenizer().encode_batch_fast(sweep) for i in e.ids],
            reference=hf,
            exact=True,
        ),
    ]
    trained = BPETokenizer(vocab_size=512, pattern="cl100k", special_tokens=SPECIALS[:2])
    trained.fit(parity_corpus(40_000, seed=1))
    sample = parity_corpus(60_000, seed=2, specials=SPECIALS[:2])
    ours_ids = trained.encode(sample, allowed_special="all")
    with tempfile.TemporaryDirectory() as tmp:
        from tokenizers import Tokenizer

        hf_tok = Tokenizer.from_file(str(to_hf_json(trained, Path(tmp) / "tokenizer.json")))
        tt_path = to_tiktoken(trained, Path(tmp) / "trained.tiktoken")
        tt_enc = tiktoken_from_file(str(tt_path), trained.pattern_, trained.special_tokens_)
        results.append(
            compare(
                "trained -> tokenizer.json ids",
                ours_ids,
                hf_tok.encode(sample).ids,
                reference=hf,
                exact=True,
            )
        )
        results.append(
            compare(
                "trained -> tiktoken ranks ids",
                ours_ids,
                tt_enc.encode(sample, allowed_special="all"),
                reference=tt,
                exact=True,
            )
        )
    results.append(
        behaviour(
            "decode(encode(text)) == text",
            ours_cl.decode(ours_cl.encode(text, allowed_special="all")) == text
            and trained.decode(ours_ids) == sample,
        )
    )
    words = count_chunks(parity_corpus(20_000, seed=3), resolve_pattern("gpt2"))
    fast, slow = train_merges(words, 60), learn_merges(words, 60)
    results.append(
        behaviour(
            "incremental training == minimal recount (60 merges)",
            fast == slow,
            f"{len(fast)} merges",
        )
    )
    return results
