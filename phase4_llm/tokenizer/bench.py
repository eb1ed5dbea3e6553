"""Benchmarks: training (incremental vs minimal.py vs `tokenizers`) and encoding (vs tiktoken)."""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes

from .bpe import BPETokenizer, count_chunks
from .corpus import parity_corpus
from .formats import load_cl100k_base
from .minimal import learn_merges
from .patterns import GPT2_PATTERN, token_to_str
from .reference import tiktoken_cl100k
from .training import train_merges

N_MERGES = 200


def run(quick: bool = False) -> list[BenchRow]:
    """Training time at three corpus sizes, encode time at three corpus sizes."""
    return _training_rows(quick) + _encoding_rows(quick)


def _training_rows(quick: bool) -> list[BenchRow]:
    from phase0_env.common.parity import reference_version

    rows = []
    for n_chars in sizes(quick, full=(20_000, 50_000, 100_000), small=(5_000, 10_000, 20_000)):
        text = parity_corpus(n_chars, seed=11, specials=())
        words = count_chunks(text, GPT2_PATTERN)
        fast = train_merges(words, N_MERGES)
        same = fast == learn_merges(words, N_MERGES)
        rows.append(
            compare(
                "train: incremental vs naive",
                n_chars,
                partial(train_merges, words, N_MERGES),
                partial(learn_merges, words, N_MERGES),
                reference="naive recount (ours)",
                repeats=1,
                warmup=0,
                quality={"merges_identical": same, "merges": len(fast)},
            )
        )
        ours_tokens = {token_to_str(m) for _, m in fast}
        hf_tokens = _hf_train(text, N_MERGES)
        rows.append(
            compare(
                "train: ours vs tokenizers",
                n_chars,
                partial(lambda t: BPETokenizer(256 + N_MERGES, "gpt2").fit(t), text),
                partial(_hf_train, text, N_MERGES),
                reference=reference_version("tokenizers"),
                repeats=1,
                warmup=0,
                quality={
                    "shared_merged_tokens": len(ours_tokens & hf_tokens) / max(1, len(ours_tokens))
                },
            )
        )
    return rows


def _hf_train(text: str, n_merges: int) -> set[str]:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(
        vocab_size=len(alphabet) + n_merges,
        initial_alphabet=alphabet,
        show_progress=False,
        min_frequency=1,
    )
    tok.train_from_iterator([text], trainer)
    vocab = tok.get_vocab()
    return {t for t in vocab if len(t) > 1}


def _encoding_rows(quick: bool) -> list[BenchRow]:
    from phase0_env.common.parity import reference_version

    ours, ref = load_cl100k_base(), tiktoken_cl100k()
    rows = []
    for n_chars in sizes(
        quick, full=(100_000, 300_000, 1_000_000), small=(20_000, 50_000, 100_000)
    ):
        text = parity_corpus(n_chars, seed=12)

        def encode_cold(text: str = text) -> list[int]:
            ours.clear_cache()  # no memo carried over between repeats
            return ours.encode(text, allowed_special="all")

        equal = encode_cold() == ref.encode(text, allowed_special="all")
        mb = len(text.encode("utf-8")) / 1e6
        row = compare(
            "encode cl100k vs tiktoken",
            n_chars,
            encode_cold,
            partial(ref.encode, text, allowed_special="all"),
            reference=reference_version("tiktoken"),
            repeats=3,
            quality={"ids_equal": equal},
        )
        row.quality["ours_MB_per_s"] = mb / row.ours_s
        row.quality["ref_MB_per_s"] = mb / row.ref_s if row.ref_s else None
        rows.append(row)
    return rows
