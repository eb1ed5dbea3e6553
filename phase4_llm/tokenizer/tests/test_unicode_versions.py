"""Which Unicode version each pattern engine follows, measured on every code point, and the
pinned classes that make ours follow the reference engines' version."""

import pytest
import regex
import tiktoken
from tokenizers import Regex, pre_tokenizers

from phase4_llm.tokenizer.make_unicode_data import ranges_text
from phase4_llm.tokenizer.sweep import every_code_point
from phase4_llm.tokenizer.unicode_tables import (
    NUMERIC_UNICODE,
    REGEX_UNICODE,
    code_point_ranges,
    engine_difference,
    pin_unicode,
)

ALL = "".join(map(chr, every_code_point()))


def _table(category: str, version: str) -> set[int]:
    return {c for a, b in code_point_ranges(category, version) for c in range(a, b + 1)}


def _tiktoken_members(pattern: str) -> set[int]:
    # Only the bytes as tokens: the ids of the matched text spell out exactly the code points
    # the pattern matched (unmatched text yields no ids).
    enc = tiktoken.Encoding(
        name=f"probe {pattern}",
        pat_str=pattern,
        mergeable_ranks={bytes([b]): b for b in range(256)},
        special_tokens={},
    )
    return {ord(c) for c in enc.decode_bytes(enc.encode_ordinary(ALL)).decode("utf-8")}


def _oniguruma_members(pattern: str) -> set[int]:
    split = pre_tokenizers.Split(Regex(pattern), behavior="removed", invert=True)
    return {ord(c) for piece, _ in split.pre_tokenize_str(ALL) for c in piece}


@pytest.mark.parametrize("category", ["L", "N"])
def test_tiktoken_letters_and_numbers_are_those_of_unicode_16(category):
    assert REGEX_UNICODE == "16.0"
    assert _tiktoken_members(rf"\p{{{category}}}") == _table(category, REGEX_UNICODE)


@pytest.mark.parametrize("category", ["L", "N"])
def test_tokenizers_oniguruma_letters_and_numbers_are_those_of_unicode_16(category):
    assert _oniguruma_members(rf"\p{{{category}}}") == _table(category, REGEX_UNICODE)


def test_tokenizers_digits_step_splits_the_numbers_of_unicode_17():
    # "x".join isolates each code point; Digits(individual) cuts a numeric one out alone.
    pieces = pre_tokenizers.Digits(individual_digits=True).pre_tokenize_str("x".join(ALL))
    numeric = {ord(p) for p, _ in pieces if len(p) == 1 and p != "x"}
    assert NUMERIC_UNICODE == "17.0"
    assert numeric == _table("N", NUMERIC_UNICODE)


@pytest.mark.parametrize("category", ["L", "N"])
def test_pinned_class_matches_exactly_the_table(category):
    pinned = regex.compile(pin_unicode(rf"\p{{{category}}}"))
    assert {ord(c) for c in pinned.findall(ALL)} == _table(category, REGEX_UNICODE)


def test_regex_package_knows_about_17000_letters_and_numbers_that_the_references_do_not():
    engine = {ord(c) for c in regex.findall(r"[\p{L}\p{N}]", ALL)}
    reference = _table("L", REGEX_UNICODE) | _table("N", REGEX_UNICODE)
    newer = engine - reference
    assert 17_000 <= len(newer) <= 18_000 and not reference - engine
    assert 0x10940 in newer  # a Unicode 17.0 letter: unassigned to tiktoken
    extra, missing = engine_difference("L", REGEX_UNICODE)
    assert extra and not missing


def test_pin_unicode_rewrites_only_letter_and_number_classes():
    assert pin_unicode(r"\s+|x") == r"\s+|x"  # nothing to pin: returned as is
    pattern = r"[^\s\p{L}]+|\p{N}|\\p{L}"
    pinned = pin_unicode(pattern)
    assert pinned.startswith("(?V1)") and pinned.endswith(r"|\\p{L}")  # escaped: literal
    text = "ab1\U00010940;"  # U+10940 became a letter in Unicode 17.0
    assert regex.findall(pattern, text) == ["1", ";"]
    assert regex.findall(pinned, text) == ["1\U00010940;"]
    assert regex.fullmatch(pinned, "\\p{L}")


def test_code_point_ranges_and_generator_format():
    assert code_point_ranges("L", "16.0")[0] == (0x41, 0x5A)
    assert ranges_text([65, 66, 67, 97]) == "41-43,61"
    with pytest.raises(ValueError, match="no table"):
        code_point_ranges("L", "9.0")
