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

from fanarchive.reading.patterns import ascii_fold, by_first_letter, caseless, word_start, words_starting_with

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


@pytest.mark.parametrize("ignore_case", [True, False])
def test_grouping_by_first_letter_matches_like_the_plain_alternation(ignore_case: bool) -> None:
    terms = ["Samantha", "sam", "Sa", "dru", "Drusilla", "Angel", "angelus", "2nd"]
    groups = by_first_letter(terms, ignore_case)
    assert len(groups) == (4 if ignore_case else 7)  # s d a 2, or S s D d A a 2: order kept within each
    assert next(group for group in groups if "Samantha" in group) == (
        ["Samantha", "sam", "Sa"] if ignore_case else ["Samantha", "Sa"]
    )
    flags = re.I if ignore_case else 0
    plain = re.compile(r"\b(?:" + "|".join(terms) + r")", flags)
    grouped = re.compile(r"\b(?:" + "|".join("(?:" + "|".join(group) + ")" for group in groups) + r")", flags)
    text = "sam said Samantha; SA and angelus met Drusilla, dru and ANGEL on the 2nd ſam"
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_terms_starting_with_a_mark_or_non_ascii_letter_stay_in_one_group() -> None:
    assert by_first_letter(["*kiss", "hug"]) == [["*kiss", "hug"]]
    assert by_first_letter(["Éowyn", "eomer"]) == [["Éowyn", "eomer"]]
