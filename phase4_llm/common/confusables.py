"""A confusable skeleton: Cyrillic and Greek letters that look like Latin ones, mapped to them.

`skeleton("Іgnore")` (Cyrillic І) == "Ignore". This is a deliberately small table, written for
the injection screen, not Unicode's full `confusables.txt` (UTS #39, thousands of entries, not
shipped offline): the Cyrillic and Greek letters whose usual glyph is indistinguishable from a
Latin letter, plus a few Latin look-alikes (dotless i, script l). NFKC already folds fullwidth
and mathematical letters (`Ｉ`, `𝐈`) to ASCII, so they are not repeated here. Digits are not
mapped (`0` for `o` would turn "10 rules" into "lo rules").

The skeleton is for matching only: callers keep the original text and never show a skeleton.
"""

from __future__ import annotations

# Cyrillic lower case, then upper case, then Greek lower and upper case, then Latin look-alikes.
_PAIRS = (
    "аa вb еe ёe кk мm нh оo рp сc тt уy хx іi їi јj ѕs ԁd ԛq ԝw ӏl һh ɡg үy"
    " АA ВB ЕE ЁE КK МM НH ОO РP СC ТT УY ХX ІI ЇI ЈJ ЅS ԚQ ԜW Ӏl ҮY"
    " αa βb γy εe ιi κk νv οo ρp τt υu χx ωw"
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX"
    " ıi ɑa ℓl ǀl"
)
CONFUSABLES: dict[str, str] = {pair[0]: pair[1] for pair in _PAIRS.split()}
_TABLE = str.maketrans(CONFUSABLES)


def skeleton(text: str) -> str:
    """`text` with each look-alike letter replaced by its Latin twin: `skeleton("рау") == "pay"`."""
    return text.translate(_TABLE)
