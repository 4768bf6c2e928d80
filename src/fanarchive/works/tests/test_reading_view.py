"""The work page's "What the reader found": the presenter on stored readings, and the page itself."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fanarchive.reading.model import (
    Character, Episode, FrontMatter, Placement, Quote, Reading, Suggestion,
)  # fmt: skip
from fanarchive.tags.models import TagType
from fanarchive.works.importer import import_file
from fanarchive.works.models import WorkReading
from fanarchive.works.reading_view import KnownTag, present_reading, reading_view_for
from fanarchive.works.tests.factories import create_tag, create_work

FIXTURES = Path(__file__).with_name("fixtures")
INNOCENCE = Episode(index=25, code="2x14", title="Innocence", season=2)
BECOMING = Episode(index=32, code="2x21", title="Becoming, Part I", season=2)


def quote(speaker: str | None, text: str) -> Quote:
    return Quote(chapter=0, paragraph=0, start=0, end=len(text), text=text, speaker=speaker)


def stored_reading() -> dict:
    """A reading as the importer stores it (``Reading.to_dict``)."""
    return Reading(
        front=FrontMatter(title="Stored"),
        chapters=[],
        quotes=[
            quote("Spike", "one two three four five six"),
            quote("Spike", "seven eight"),
            quote("Buffy Summers", "one two"),
            quote(None, "who said this"),
            quote("narrator", "me me"),
        ],
        characters=[
            Character(name="Spike", mentions=9, quotes=2, words_spoken=8, role="main"),
            Character(name="Buffy Summers", mentions=12, quotes=1, words_spoken=2, role="main"),
            Character(name="Drusilla", mentions=1, role="mentioned"),
        ],
        suggestions=[
            Suggestion("character", "Spike", 0.5, ["Spike asks."]),
            Suggestion("character", "Buffy Summers", 0.8, ["Buffy grips the stake."]),
            Suggestion("freeform", "Angst", 0.68, ["He stares up at her."]),
            Suggestion("rating", "General Audiences", 0.5, []),
            Suggestion("fandom", "Buffy the Vampire Slayer (TV)", 0.9, [], declared=True),
        ],
        placement=Placement(
            fandom="Buffy the Vampire Slayer (TV)", after=INNOCENCE, before=BECOMING, season=2,
            confidence=0.9, evidence=['Set between 2.14 "Innocence" and 2.21 "Becoming, Part I".'],
        ),  # fmt: skip
    ).to_dict()


# --- the presenter -------------------------------------------------------------------


def test_placement_reads_as_a_sentence_with_its_evidence():
    placement = present_reading(stored_reading()).placement
    assert placement.sentence == "Set after 2x14 “Innocence”, before 2x21 “Becoming, Part I” (season 2)"
    assert placement.explicit and placement.confidence == 90
    assert placement.evidence == ['Set between 2.14 "Innocence" and 2.21 "Becoming, Part I".']


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        ({"before": None, "season": None}, "Set after 2x14 “Innocence”"),
        ({"after": None, "season": None}, "Set before 2x21 “Becoming, Part I”"),
        ({"after": None, "before": None, "season": 4}, "Set in season 4"),
        ({"after": None, "before": None, "season": None}, "Set in Buffy the Vampire Slayer (TV) canon"),
    ],
)
def test_placement_with_open_ends(change, sentence):
    result = stored_reading()
    result["placement"].update(change)
    assert present_reading(result).placement.sentence == sentence


def test_dialogue_share_counts_every_quote_and_orders_by_words():
    speakers = present_reading(stored_reading()).speakers
    rows = [(s.name, s.quotes, s.words, s.percent, s.attributed) for s in speakers]
    # 15 quoted words in all: Spike 8, narrator 2, Buffy 2, unattributed 3 (always listed last).
    assert rows == [
        ("Spike", 2, 8, 53, True),
        ("Buffy Summers", 1, 2, 13, True),
        ("Narrator", 1, 2, 13, True),
        ("Unattributed", 1, 3, 20, False),
    ]
    assert [s.bar_class for s in speakers] == ["share-55", "share-15", "share-15", "share-20"]


def test_a_speaker_with_a_sliver_of_the_words_is_not_shown_as_none():
    result = stored_reading()
    result["quotes"] = [asdict(quote("Spike", "word " * 300)), asdict(quote("Buffy Summers", "no"))]
    buffy = present_reading(result).speakers[1]
    assert (buffy.percent, buffy.percent_label, buffy.bar_class) == (0, "<1%", "share-0")


def test_reading_without_quotes_uses_the_characters_own_counts():
    result = stored_reading()
    del result["quotes"]
    speakers = present_reading(result).speakers
    assert [(s.name, s.quotes, s.words, s.percent) for s in speakers] == [
        ("Spike", 2, 8, 80),
        ("Buffy Summers", 1, 2, 20),
    ]


def test_characters_are_split_into_main_and_mentioned():
    view = present_reading(stored_reading())
    assert [c.name for c in view.main_characters] == ["Buffy Summers", "Spike"]  # most mentioned first
    assert [(c.name, c.mentions) for c in view.mentioned_characters] == [("Drusilla", 1)]


def test_suggestions_are_grouped_in_archive_order_and_marked_against_the_work():
    known = {
        (TagType.CHARACTER, "spike"): KnownTag("/tags/Spike/", frozenset({"spike"})),
        # "Buffy Summers" exists as a synonym of "Buffy Anne Summers", which is on the work.
        (TagType.CHARACTER, "buffy summers"): KnownTag(
            "/tags/Buffy%20Summers/", frozenset({"buffy summers", "buffy anne summers"})
        ),
    }
    view = present_reading(stored_reading(), work_tag_keys={"buffy anne summers", "angst"}, known=known)
    groups = view.suggestion_groups
    assert [(g.type, g.label) for g in groups] == [
        ("rating", "Rating"), ("fandom", "Fandom"), ("character", "Character"), ("freeform", "Additional Tags"),
    ]  # fmt: skip
    characters = {s.name: s for s in groups[2].suggestions}
    assert list(characters) == ["Buffy Summers", "Spike"]  # most confident first
    assert characters["Buffy Summers"].on_work and characters["Buffy Summers"].confidence == 80
    assert not characters["Spike"].on_work and characters["Spike"].url == "/tags/Spike/"
    assert characters["Spike"].evidence == ["Spike asks."]
    angst = groups[3].suggestions[0]
    assert angst.on_work and angst.url == ""  # on the work by name, but no tag page was given for it
    assert groups[1].suggestions[0].declared


@pytest.mark.parametrize(
    "result",
    [
        None,
        "not a reading",
        {},
        {"front": {}, "chapters": []},
        {"placement": "2x14", "quotes": None, "characters": [None, 3], "suggestions": {"type": "character"}},
        {"placement": {"after": {"code": "2x14"}}},  # no fandom: not a placement
    ],
)
def test_missing_or_malformed_readings_show_nothing(result):
    view = present_reading(result)
    assert view.is_empty and view.placement is None and view.quote_count == 0


def test_older_readings_lacking_fields_show_what_they_have():
    result = stored_reading()
    del result["suggestions"], result["quotes"]
    for character in result["characters"]:
        del character["role"], character["words_spoken"], character["quotes"]
    del result["placement"]["confidence"], result["placement"]["kind"], result["placement"]["before"]
    result["suggestions"] = [{"type": "freeform", "name": "Angst"}, {"type": "no such type", "name": "X"}, {"name": ""}]
    view = present_reading(result)
    assert view.placement.sentence == "Set after 2x14 “Innocence” (season 2)"
    assert view.placement.explicit and view.placement.confidence == 0
    assert view.speakers == [] and view.main_characters == []
    assert [c.name for c in view.mentioned_characters] == ["Buffy Summers", "Spike", "Drusilla"]
    [group] = view.suggestion_groups
    assert [(s.name, s.confidence, s.evidence) for s in group.suggestions] == [("Angst", 0, [])]


# --- the work page -----------------------------------------------------------------------

def findings(client, work) -> BeautifulSoup:
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    section = BeautifulSoup(response.content, "html.parser").select_one("details.reader-findings")
    assert section is not None
    return section


@pytest.mark.django_db
def test_work_page_shows_what_the_reader_found(client):
    work = import_file(FIXTURES / "cold_comfort.txt")
    stored = WorkReading.objects.get(work=work).result
    section = findings(client, work)

    assert section.find("summary").h2.get_text() == "What the reader found"
    assert "machine suggestions" in section.find("summary").get_text()
    assert "not tags or facts the creator chose" in section.get_text()

    placement = section.select_one(".reader-placement")
    assert placement.h3.get_text() == "Place in canon"
    sentence = placement.select_one(".placement-sentence").get_text(" ", strip=True)
    assert sentence.startswith("Set after 2x14 “Innocence”, before 2x21 “Becoming, Part I” (season 2)")
    assert 'set between 2.14 "Innocence" and 2.21 "Becoming, Part I"' in placement.select_one(".evidence").get_text()

    rows = {
        row.th.get_text(): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in section.select(".dialogue-share tbody tr")
    }
    spoken = {c["name"]: c["words_spoken"] for c in stored["characters"] if c["words_spoken"]}
    total = sum(len(q["text"].split()) for q in stored["quotes"])
    assert {"Spike", "Buffy Summers"} <= set(rows)
    for name in ("Spike", "Buffy Summers"):
        assert rows[name][1] == str(spoken[name])
        percent = round(100 * spoken[name] / total)
        assert rows[name][2] == (f"{percent}%" if percent else "<1%")
    assert section.select(".dialogue-share .share-bar")[0]["class"][1].startswith("share-")
    assert not section.select("[style]")  # the CSP forbids inline styles

    main = section.select_one(".main-characters").get_text()
    assert "Spike" in main and "Buffy Summers" in main


@pytest.mark.django_db
def test_suggestions_link_to_tag_pages_and_mark_tags_already_on_the_work(client):
    # The fixture declares the character "Spike" and the fandom "Buffy the Vampire Slayer".
    work = import_file(FIXTURES / "cold_comfort.txt")
    canonical = create_tag("Buffy the Vampire Slayer (TV)", TagType.FANDOM)
    create_tag("Buffy the Vampire Slayer", TagType.FANDOM, merger=canonical)
    view = reading_view_for(work)
    section = findings(client, work)

    suggestions = section.select(".reader-suggestions li.suggestion")
    assert suggestions
    by_name = {item.select_one(".tag").get_text(): item for item in suggestions}
    spike = by_name["Spike"]
    assert spike.a["href"] == "/tags/Spike/" and "already on this work" in spike.get_text()
    # The reader's canonical fandom name is on the work through the wrangled synonym the author typed.
    assert "already on this work" in by_name["Buffy the Vampire Slayer (TV)"].get_text()
    for group in view.suggestion_groups:
        for suggestion in group.suggestions:
            item = by_name[suggestion.name]
            assert (item.a is not None) == bool(suggestion.url)
            assert f"{suggestion.confidence}% confident" in item.get_text()
            assert ("already on this work" in item.get_text()) == suggestion.on_work
    rendered_headings = [h.get_text() for h in section.select(".reader-suggestions h4")]
    assert rendered_headings == [group.label for group in view.suggestion_groups]


@pytest.mark.django_db
def test_work_without_a_reading_has_no_findings_section(client):
    work = create_work("Typed in by hand")
    assert reading_view_for(work) is None
    assert b"What the reader found" not in client.get(work.get_absolute_url()).content


@pytest.mark.django_db
def test_stored_reading_with_nothing_to_show_leaves_the_section_out(client):
    work = create_work("Read long ago")
    WorkReading.objects.create(work=work, result={"front": {}, "chapters": []})
    assert reading_view_for(work).is_empty
    assert b"What the reader found" not in client.get(work.get_absolute_url()).content
