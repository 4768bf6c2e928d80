"""The tag suggester's word index finds exactly what scanning every sentence finds.

:class:`fanarchive.reading.suggest._Text` runs a lexicon's regex only on the
sentences its word index points to; these tests compare that with running
the regex on every sentence, on text built to trip the index up (hyphens,
apostrophes, wildcards, non-ASCII letters that case-fold to ASCII ones, a
name cut by a sentence break).
"""

from __future__ import annotations

import random

import pytest

from fanarchive.reading.suggest import _lexicon, _scan, _Text

WORDS = ["sex", "ſex", "ſexé", "SEXY", "kiss", "KİSS", "kissed", "kiss-me", "half-naked", "don't", "don’t leave me",
         "leave", "me", "the", "A.U.", "AU", "Mr.", "Holmes", "Mr. Holmes", "fiancée", "FIANCÉ", "in love",
         "love you", "bed", "bed-", "-bed", "blow job", "blowjobs", "jerked off", "\u212aill", "killed", "İ", "é",
         ".", "!", "\"", ","]
LEXICONS = [
    _lexicon("sex", "sex*", "kiss*", "half-naked", "don't leave me", "fiancé*", "in love", "love you", "bed"),
    _lexicon("blow job*", "jerk* off", "kill*", "a.u.", "the"),
    _lexicon("AU", "A.U.", "Mr. Holmes", "Holmes", ignore_case=False),
    _lexicon("Me", "İstanbul", ignore_case=False),
]


def random_text(rng: random.Random) -> _Text:
    paragraphs = [[" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(1, 4))]
                  for _ in range(rng.randint(1, 6))]
    return _Text(paragraphs, [], 100)


def random_cases(seed: int):
    """(text, lexicon) pairs: 40 random texts, each with every lexicon."""
    rng = random.Random(seed)
    for _ in range(40):
        text = random_text(rng)
        for lexicon in LEXICONS:
            yield text, lexicon


@pytest.mark.parametrize("seed", range(5))
def test_indexed_counts_equal_a_full_scan(seed: int) -> None:
    for text, lexicon in random_cases(seed):
        indexed, full = text.hits(lexicon), _scan(lexicon, text.sentences)
        assert (indexed.count, indexed.evidence) == (full.count, full.evidence), text.paragraphs


@pytest.mark.parametrize("seed", range(5))
def test_paragraphs_naming_equal_a_search_of_each_paragraph(seed: int) -> None:
    for text, lexicon in random_cases(seed):
        expected = {i for i, paragraph in enumerate(text.joined) if lexicon.search(paragraph)}
        assert text.paragraphs_naming(lexicon) == expected, text.paragraphs


def test_a_name_cut_by_a_sentence_break_still_names_the_paragraph() -> None:
    text = _Text([["He saw Mr.", "Holmes left."]], [], 100)
    lexicon = _lexicon("Mr. Holmes", ignore_case=False)
    assert text.hits(lexicon).count == 0  # no single sentence holds it
    assert text.paragraphs_naming(lexicon) == {0}


def test_a_long_s_counts_as_an_s() -> None:
    text = _Text([["They had ſex."]], [], 100)
    assert text.hits(_lexicon("sex")).count == 1
