"""Regular-expression helpers that keep the analysis stages fast on long works.

Python's regex engine can only jump straight to promising positions when a
pattern starts with plain characters.  A pattern that starts with ``\\b`` or
a look-behind, or is case-insensitive, is instead tried at every position of
the text, which on a million-word work is the bulk of the reading time.
:func:`word_start` writes "one of these words, at a word start" so that it
begins with a character class and checks the word start afterwards; it
matches exactly what ``\\b(?:word|word…)`` (with ``re.IGNORECASE`` when
asked) matches, in the same order.  :func:`words_starting_with` does the same
for any word starting with given letters, and :func:`caseless` spells a
case-insensitive alternation out letter by letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

ASCII_FOLDS = str.maketrans("İıſ\u212a", "iisk")
"""The non-ASCII letters ``re.IGNORECASE`` matches to ASCII ones (İ ı → i, ſ → s, Kelvin sign → k)."""

_SAME_LETTER = {"i": "İı", "s": "ſ", "k": "\u212a"}


def ascii_fold(word: str) -> str:
    """``word`` lower-cased letter by letter, with :data:`ASCII_FOLDS` applied first."""
    return word.translate(ASCII_FOLDS).lower()


def _forms(char: str, ignore_case: bool) -> list[str]:
    """The characters that match ``char`` (every case of it under ``ignore_case``)."""
    if not ignore_case:
        return [char]
    forms = {char} | {f for f in (char.lower(), char.upper()) if len(f) == 1}
    return sorted(forms | set(_SAME_LETTER.get(char.lower(), "")))


def _one_of(chars: Iterable[str]) -> str:
    """A regex matching any one of ``chars``."""
    unique = list(dict.fromkeys(chars))
    escaped = "".join(re.escape(c) for c in unique)
    return escaped if len(unique) == 1 else "[%s]" % escaped


def words_starting_with(letters: Iterable[str], ignore_case: bool = False) -> str:
    """Regex source equivalent to ``\\b[letters]\\w*``: a whole word starting with one of ``letters``.

    ``letters`` must be word characters; under ``ignore_case`` every case of them counts.
    """
    return r"%s(?<!\w.)\w*" % _one_of([f for letter in letters for f in _forms(letter, ignore_case)])


def word_start(words: Sequence[str], ignore_case: bool = False) -> str:
    """Regex source equivalent to ``\\b(?:w1|w2|…)`` for words that start with a word character.

    The first letter is matched by one character class (so the engine can
    search for it quickly), then ``(?<!\\w.)`` checks that no word character
    precedes it, and each word continues after a look-behind on its own first
    letter, so the words are still tried in the order given.
    """
    if not all(re.match(r"\w", word) for word in words):
        raise ValueError("word_start needs words that start with a word character")
    firsts = _one_of([f for word in words for f in _forms(word[0], ignore_case)])
    rests = ["(?<=%s)%s" % (_one_of(_forms(word[0], ignore_case)),
                            "".join(_one_of(_forms(c, ignore_case)) for c in word[1:]))
             for word in words]
    return r"%s(?<!\w.)(?:%s)" % (firsts, "|".join(rests))


def caseless(words: Sequence[str]) -> str:
    """Regex source for ``(?:w1|w2|…)`` matching as ``re.IGNORECASE`` would, without the flag."""
    return "(?:%s)" % "|".join("".join(_one_of(_forms(c, True)) for c in word) for word in words)


def by_first_letter(terms: Sequence[str], ignore_case: bool = True) -> list[list[str]]:
    """``terms`` grouped by first letter or digit (in lower case when case is ignored), order kept in each group.

    Terms of different groups never match at the same place, so a regex
    trying the groups one after the other matches exactly what one trying
    the terms in order does, but the engine then tries one group at each
    word start instead of every term: about twice as fast for the large
    case-insensitive lexicons. When some term starts with anything else (a
    wildcard, a mark, a non-ASCII letter that case folding may equate with
    another) the terms stay in one group.
    """
    firsts = [term[:1] for term in terms]
    if not all(first.isascii() and first.isalnum() for first in firsts):
        return [list(terms)]
    groups: dict[str, list[str]] = {}
    for first, term in zip(firsts, terms):
        groups.setdefault(first.lower() if ignore_case else first, []).append(term)
    return list(groups.values())
