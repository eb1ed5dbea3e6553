"""Clear errors on misuse of BLEU, ROUGE and perplexity."""

import numpy as np
import pytest
from sacrebleu.metrics import BLEU

from phase4_llm.evals.bleu import corpus_bleu
from phase4_llm.evals.perplexity import perplexity
from phase4_llm.evals.rouge import rouge


def test_bleu_rejects_mismatched_or_malformed_inputs():
    with pytest.raises(ValueError, match="as long as"):
        corpus_bleu(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="reference streams"):
        corpus_bleu(["a"], "a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        corpus_bleu("a b", [["a b"]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="smooth_method"):
        corpus_bleu(["a"], [["a"]], smooth_method="laplace")


def test_bleu_segment_without_any_reference_raises_a_clear_error():
    # sacrebleu fails on this input with an unrelated TypeError; before the fix ours returned a
    # score built on ref_len -1.
    with pytest.raises(ValueError, match=r"segment 1 has no reference.*all 2 reference"):
        corpus_bleu(["a b", "c d"], [["a b", None], ["a c", None]])
    with pytest.raises(TypeError):
        BLEU().corpus_score(["a b", "c d"], [["a b", None]])


def test_bleu_empty_string_reference_is_a_reference_like_sacrebleu():
    hyps, refs = ["a b", "c d"], [["a b", ""]]
    ours, ref = corpus_bleu(hyps, refs), BLEU().corpus_score(hyps, refs)
    assert (ours.ref_len, ours.sys_len) == (ref.ref_len, ref.sys_len) == (2, 4)
    assert abs(ours.score - ref.score) <= 1e-9  # same float operations as sacrebleu


def test_rouge_rejects_unknown_types_and_non_strings():
    with pytest.raises(ValueError, match="unknown rouge type"):
        rouge("a", "a", ["rougeX"])
    with pytest.raises(TypeError):
        rouge(["a"], "a")  # type: ignore[arg-type]


def test_perplexity_rejects_bad_shapes_ids_nan_and_all_padding():
    logits = np.zeros((2, 3, 5))
    with pytest.raises(ValueError, match="line up"):
        perplexity(logits, np.zeros((2, 4), dtype=int))
    with pytest.raises(ValueError, match=r"\[0, 5\)"):
        perplexity(logits, np.full((2, 3), 7))
    with pytest.raises(TypeError, match="integer"):
        perplexity(logits, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="ignore_index"):
        perplexity(logits, np.full((2, 3), -100))
    bad = logits.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        perplexity(bad, np.zeros((2, 3), dtype=int))
