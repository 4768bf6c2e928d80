"""Placing a work on its fandom's timeline (fanarchive.reading.placement)."""

from __future__ import annotations

import pytest

from fanarchive.reading.canon import fandom_from_data, load_canon
from fanarchive.reading.characters import find_characters
from fanarchive.reading.placement import explicit_placement, place_in_canon
from fanarchive.reading.tests.builders import seed_reading, story

BUFFY = "Buffy the Vampire Slayer (TV)"
OPENING = "Buffy walked Willow home past the cemetery while Xander complained about the Bronze."


def placed(*notes: str, paragraphs: tuple[str, ...] = (OPENING,)):
    reading = story(*paragraphs, notes=notes, fandoms=[BUFFY])
    canon = load_canon()
    find_characters(reading, canon)
    place_in_canon(reading, canon)
    return reading.placement


def codes(placement) -> tuple[str | None, str | None]:
    return (placement.after.code if placement.after else None,
            placement.before.code if placement.before else None)


@pytest.mark.parametrize(("note", "after", "before", "season"), [
    ("Set sometime between 2.14 \"Innocence\" and 2.21 \"Becoming, Part I\".", "2x14", "2x21", 2),
    ("Set post-Chosen.", "7x22", None, None),
    ("Takes place after season 3.", "3x22", None, None),
    ("Missing scene from Passion.", "2x16", "2x18", 2),
    ("This is set during S05E16.", "5x15", "5x17", 5),
    ("Set in 5x16, the worst day.", "5x15", "5x17", 5),
    ("Set in season 5 episode 16.", "5x15", "5x17", 5),
    ("Set during 5.16 \"The Body\".", "5x15", "5x17", 5),
    ("Set during season 4.", "3x22", "5x01", 4),
    ("Spoilers for The Gift.", "5x22", None, None),
    ("Pre-series: Buffy in LA.", None, "1x01", None),
    ("Set after Becoming.", "2x22", None, None),
    ("Set after 'becoming part 1' but before 'Becoming Part Two'.", "2x21", "2x22", 2),
    ("Set before season 2.", None, "2x01", None),
    ("Set between seasons 2 and 3.", "2x22", "3x01", None),
    ("Set during seasons two to three.", "1x12", "4x01", None),
    ("Set in the fourth season.", "3x22", "5x01", 4),
    ("Set between \"WHAT'S MY LINE part 2\" and Ted.", "2x10", "2x11", 2),
])
def test_author_statements(note: str, after: str | None, before: str | None, season: int | None) -> None:
    placement = placed(note)
    assert placement is not None, note
    assert codes(placement) == (after, before)
    assert placement.season == season
    assert placement.kind == "explicit"
    assert placement.evidence == [note]


def test_episode_titles_carry_their_canon_names() -> None:
    placement = placed("Set between 2.14 \"Innocence\" and 2.21 \"Becoming, Part I\".")
    assert placement.after.title == "Innocence"
    assert placement.before.title == "Becoming, Part I"
    assert placement.fandom == BUFFY


def test_a_character_named_like_an_episode_is_not_a_reference() -> None:
    """"after Angel" speaks of the character; the episode needs quotes or a code."""
    assert placed("Buffy is sad after Angel left town.") is None
    assert codes(placed("Set after \"Angel\".")) == ("1x07", None)


def test_statements_in_several_notes_narrow_each_other() -> None:
    placement = placed("Set in season 2.", "It happens after Innocence.")
    assert codes(placement) == ("2x14", "3x01")
    assert len(placement.evidence) == 2


def test_contradicting_statement_is_ignored() -> None:
    placement = placed("Set after season 5.", "Set before season 3.")
    assert codes(placement) == ("5x22", None)


def test_unplaceable_text_gives_no_placement() -> None:
    assert placed("I wrote this on a train.") is None


SOULLESS = (
    "Angelus leaned against the crypt door and laughed while Spike rolled his wheelchair "
    "back and forth across the stone floor, sulking.",
    "\"You'll be walking again, my boy,\" Angelus told him. Spike did not believe it.",
)


def test_inferred_from_canon_events() -> None:
    placement = placed(paragraphs=SOULLESS)
    assert placement.kind == "inferred"
    assert codes(placement) == ("2x14", "2x22")
    assert placement.season == 2
    assert 0 < placement.confidence < 0.9
    assert any("wheelchair" in line for line in placement.evidence)


def test_inferred_from_a_character_first_appearance() -> None:
    placement = placed(paragraphs=("Dawn sulked on the stairs while Buffy and Willow argued in the kitchen.",
                                   "Dawn finally went up to her room."))
    assert placement.kind == "inferred"
    assert placement.after.code == "5x01"


def test_explicit_statement_wins_over_content() -> None:
    placement = placed("Set after season 6.", paragraphs=SOULLESS)
    assert placement.kind == "explicit"
    assert codes(placement) == ("6x22", None)


def test_explicit_placement_is_per_fandom() -> None:
    reading = story(OPENING, notes=["Set between 2.14 \"Innocence\" and 2.21 \"Becoming, Part I\"."])
    canon = load_canon()
    assert explicit_placement(reading, canon.fandom(BUFFY)) is not None
    empty = canon.fandom(BUFFY).__class__(name="Empty")
    assert explicit_placement(reading, empty) is None


# ---------------------------------------------------------------- the seed work


def test_seed_placement_is_stated_by_the_author() -> None:
    placement = seed_reading().placement
    assert placement.fandom == BUFFY
    assert (placement.after.code, placement.after.title) == ("2x14", "Innocence")
    assert (placement.before.code, placement.before.title) == ("2x21", "Becoming, Part I")
    assert (placement.season, placement.kind) == (2, "explicit")
    assert any("2.14" in line for line in placement.evidence)


def test_seed_placement_can_be_inferred_from_the_story_alone() -> None:
    reading = seed_reading(depth="structure")
    reading.front = type(reading.front)()
    canon = load_canon()
    find_characters(reading, canon)
    place_in_canon(reading, canon)
    placement = reading.placement
    assert placement.kind == "inferred"
    assert (placement.after.code, placement.before.code, placement.season) == ("2x14", "2x22", 2)


def test_long_titles_are_found_by_their_short_forms() -> None:
    """Book series share a prefix ("Harry Potter and the …"); fans drop it, or the part before a colon."""
    data = {"fandom": "Keeper Books", "aliases": [], "media": "Books & Literature", "meta": [], "terms": [],
            "characters": [], "relationships": [],
            "timeline": [{"code": f"Book {i + 1}", "title": t} for i, t in enumerate([
                "The Keeper and the Silent Tide", "The Keeper and the Broken Lamp",
                "The Keeper and the Last Harbour", "Keeper Tales: Winter Crossing"])]}
    fandom = fandom_from_data(data)

    def after(note: str) -> str | None:
        found = explicit_placement(story("x", notes=[note]), fandom)
        return found.after.code if found and found.after else None

    assert after("Set after Broken Lamp.") == "Book 2"
    assert after("Set after \"Winter Crossing\".") == "Book 4"
    assert after("Set after book 3.") == "Book 3"
