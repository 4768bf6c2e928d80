"""Tests for the fast regex building blocks (:mod:`fanarchive.reading.patterns`).

Each helper promises to match exactly what a plainer regex matches; the
tests compare both on texts built to hit the edge cases (word boundaries,
hyphens, apostrophes, and the non-ASCII letters ``re.IGNORECASE`` folds to
ASCII ones).
"""

from __future__ import annotations

import itertools
import re

import pytest

from fanarchive.reading.patterns import ascii_fold, caseless, word_start, words_starting_with

PIECES = ["my", "My", "MY", "your", "her", "hİs", "hıs", "his", "she", "She", "ſhe", "he", "He", "x", "_", "-",
          " ", "\n", "'", "é", "É", "mine", "hers", "\u212ait", "kit", "1"]


def texts(count: int = 4) -> list[str]:
    """Every sequence of ``count`` pieces from a small, tricky pool, as one string each (a deterministic sample)."""
    combos = itertools.product(PIECES, repeat=count)
    return ["".join(c) for c in itertools.islice(combos, 0, None, 97)]


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("ignore_case", [False, True])
def test_word_start_matches_like_a_word_boundary_alternation(ignore_case: bool) -> None:
    words = ["my", "your", "her", "his", "she", "he", "kit"]
    plain = re.compile(r"\b(%s)(\s+x)?" % "|".join(words), re.I if ignore_case else 0)
    fast = re.compile(r"(%s)(\s+x)?" % word_start(words, ignore_case=ignore_case))
    for text in texts():
        assert spans(fast, text) == spans(plain, text), text


def test_word_start_keeps_the_order_of_the_words() -> None:
    # "he" before "her": the shorter word wins where both fit, as in \b(?:he|her)
    assert re.findall(word_start(["he", "her"]), "her") == ["he"]
    assert re.findall(word_start(["her", "he"]), "her") == ["her"]


def test_word_start_refuses_words_that_do_not_start_with_a_letter() -> None:
    with pytest.raises(ValueError):
        word_start(["-x"])


@pytest.mark.parametrize("ignore_case", [False, True])
def test_words_starting_with_matches_whole_words(ignore_case: bool) -> None:
    plain = re.compile(r"\b[hmsK]\w*", re.I if ignore_case else 0)
    fast = re.compile(words_starting_with("hmsK", ignore_case=ignore_case))
    for text in texts():
        assert fast.findall(text) == plain.findall(text), text


def test_caseless_matches_like_ignorecase() -> None:
    words = ["his", "she", "kit", "fiancée", "fiancé"]
    plain = re.compile(r"(?:%s)" % "|".join(words), re.I)
    fast = re.compile(caseless(words))
    for text in texts() + ["FIANCÉE", "Fiancé", "ſHE", "HİS", "\u212aIT"]:
        assert fast.findall(text) == plain.findall(text), text


def test_ascii_fold_lowers_as_ignorecase_compares() -> None:
    assert ascii_fold("HİS") == "his"
    assert ascii_fold("ſhe") == "she"
    assert ascii_fold("\u212aIT") == "kit"
    assert ascii_fold("Zoë") == "zoë"
