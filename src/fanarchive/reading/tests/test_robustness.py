"""Whatever comes in, the reader answers with a Reading or a ReaderError.

Pathological inputs (one huge line, runs of quote marks, deep markup) are
kept modest here: they check that reading finishes without error. Speed is
measured in bench/bench_reader_speed.py, not asserted.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.reading import read
from fanarchive.reading.model import ReaderError, Reading

FORMATS = [None, "work.txt", "work.md", "work.html"]

# Text made of the pieces the structure reader reacts to, so examples hit its branches.
_PIECES = st.sampled_from(
    ["\n", "\n\n", "Chapter 1", "Ch. 2 - ", "A/N:", "Summary:", "Pairing: ", "Warnings: none", "* * *",
     "~~~", "oOo", "# ", "## ", "<p>", "</p>", "<hr>", "<h2>", "<br>", "<em>", '"', "“", "”", "'", "—",
     "Spike", " said", "Buffy", ".", "Please review!", "set between 2.14 and 2.21", "AU", "by Me",
     "<dl class=\"tags\"><dt>Rating:</dt><dd>", "<blockquote>", "**", "*", "_", "\t", " "]
)
fan_text = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=60).map("".join)


def check(source, filename=None, depth="structure") -> None:
    try:
        reading = read(source, filename=filename, depth=depth)
    except ReaderError as error:
        assert str(error)  # a message for people, never empty
        return
    assert isinstance(reading, Reading)
    assert reading.chapters and all(chapter.paragraphs for chapter in reading.chapters)
    assert reading.word_count == sum(chapter.word_count for chapter in reading.chapters)
    reading.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), filename=st.sampled_from(FORMATS))
def test_any_text(text, filename):
    check(text, filename)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=fan_text, filename=st.sampled_from(FORMATS))
def test_fan_shaped_text(text, filename):
    check(text, filename)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), filename=st.sampled_from(FORMATS))
def test_any_bytes(data, filename):
    check(data, filename)


PATHOLOGICAL = [
    pytest.param("word " * 100_000, id="one-500k-line"),
    pytest.param('"' * 20_000, id="quote-marks"),
    pytest.param('"a' * 10_000, id="alternating-quotes"),
    pytest.param("*" * 50_000, id="asterisks"),
    pytest.param("A/N:" * 10_000, id="labels"),
    pytest.param("\n" * 50_000 + "x", id="newlines"),
    pytest.param("Chapter 1\n" * 5_000 + "x", id="headings"),
    pytest.param("<" * 30_000, id="angles"),
    pytest.param("<b>" * 3_000 + "deep" + "</b>" * 3_000, id="nested-inline"),
    pytest.param(" " * 100_000 + "a", id="spaces"),
    pytest.param("a" + " " * 100_000 + "/" + " " * 100_000, id="label-spaces"),
    pytest.param("!" * 100_000 + "a", id="punctuation-token"),
    pytest.param("A/N: " + "!" * 100_000 + "a\n\nStory.", id="exclaiming-note"),
    pytest.param("Pairing: a" + " " * 100_000 + "b, c\n\nStory.", id="spaced-list"),
    pytest.param("Rated: T - " + "[" * 50_000 + "\n\nStory.", id="ffnet-brackets"),
]


@pytest.mark.parametrize("filename", FORMATS)
@pytest.mark.parametrize("source", PATHOLOGICAL)
def test_pathological_inputs_finish(source, filename):
    check(source, filename)


@pytest.mark.parametrize("source", PATHOLOGICAL)
def test_pathological_inputs_finish_full_reading(source):
    check(source[:10_000], depth="full")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=fan_text, filename=st.sampled_from(FORMATS))
def test_full_reading_of_fan_shaped_text(text, filename):
    """The analysis stages too must cope with whatever the structure reader lets through."""
    try:
        reading = read(text, filename=filename)
    except ReaderError:
        return
    for quote in reading.quotes:
        assert 0 <= quote.chapter < len(reading.chapters)
        assert 0 <= quote.paragraph < len(reading.chapters[quote.chapter].paragraphs)
