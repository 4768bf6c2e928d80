"""read(depth="full") runs every analysis stage, in order, on the structured work."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from fanarchive.reading import read

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def full_reading():
    return read((FIXTURES / "ffnet_multichapter.txt").read_bytes(), filename="w.txt")


def test_full_depth_fills_characters_quotes_and_suggestions(full_reading):
    assert full_reading.quotes, "the fixture has dialogue"
    assert full_reading.characters
    assert full_reading.suggestions
    assert full_reading.narration.person == "third"


def test_speech_counts_are_updated_after_dialogue(full_reading):
    """Character quote counts come from the attributed quotes (stage order)."""
    spoken = Counter(quote.speaker for quote in full_reading.quotes if quote.speaker)
    assert spoken
    for character in full_reading.characters:
        assert character.quotes == spoken[character.name]


def test_structure_depth_skips_analysis():
    reading = read((FIXTURES / "ffnet_multichapter.txt").read_bytes(), filename="w.txt", depth="structure")
    assert reading.quotes == [] and reading.characters == [] and reading.suggestions == []
    assert reading.placement is None


def test_unknown_depth_is_a_programming_error():
    with pytest.raises(ValueError):
        read("Some story.", depth="deep")
