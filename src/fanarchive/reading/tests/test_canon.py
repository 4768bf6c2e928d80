"""Canon knowledge loading and look-ups (fanarchive.reading.canon)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fanarchive.reading.canon import CanonDataError, fandom_from_data, load_canon, load_canon_from, normalise_label

BUFFY = "Buffy the Vampire Slayer (TV)"


def minimal(**overrides):
    data = {"fandom": "Lighthouse Keepers (TV)", "aliases": ["LK"], "media": "TV Shows", "meta": [],
            "terms": ["the Lamp"], "characters": [
                {"name": "Ada Quill", "aliases": ["Ada", "Keeper"], "gender": "f", "weak": ["Keeper"]},
                {"name": "Tomas Reed", "aliases": ["Tomas"], "gender": "m", "weak": []}],
            "relationships": [{"name": "Ada Quill/Tomas Reed", "type": "romantic"}],
            "timeline": [{"code": "1x01", "title": "First Light", "season": 1},
                         {"code": "1x02", "title": "Fog: Part I", "season": 1},
                         {"code": "2x01", "title": "Return", "season": 2}]}
    data.update(overrides)
    return data


def test_buffy_timeline_has_every_episode_in_order() -> None:
    timeline = load_canon().timeline(BUFFY)
    assert len(timeline) == 144
    assert (timeline[0].code, timeline[0].title) == ("1x01", "Welcome to the Hellmouth")
    assert (timeline[-1].code, timeline[-1].title) == ("7x22", "Chosen")
    assert [e.index for e in timeline] == list(range(144))
    per_season = {s: sum(1 for e in timeline if e.season == s) for s in range(1, 8)}
    assert per_season == {1: 12, 2: 22, 3: 22, 4: 22, 5: 22, 6: 22, 7: 22}


@pytest.mark.parametrize("label", ["BtVS", "buffy the vampire slayer", BUFFY, "  BUFFY THE VAMPIRE SLAYER (tv) "])
def test_fandom_by_name_or_alias(label: str) -> None:
    assert load_canon().fandom(label).name == BUFFY


def test_unknown_fandom_is_none() -> None:
    canon = load_canon()
    assert canon.fandom("Lighthouse Keepers") is None
    assert canon.timeline("Lighthouse Keepers") == []
    assert canon.episode("Lighthouse Keepers", "1x01") is None


@pytest.mark.parametrize(("reference", "code"), [
    ("2x14", "2x14"), ("2.14", "2x14"), ("S02E14", "2x14"), ("s2e14", "2x14"),
    ("season 2 episode 14", "2x14"), ("Innocence", "2x14"), ("becoming part 1", "2x21"),
    ("Becoming: Part I", "2x21"), ("BECOMING, PART TWO", "2x22"), ("Faith, Hope and Trick", "3x03"),
])
def test_episode_by_code_or_title(reference: str, code: str) -> None:
    assert load_canon().episode(BUFFY, reference).code == code


def test_normalised_labels_ignore_case_punctuation_and_part_numbering() -> None:
    assert normalise_label("What's My Line? Part II") == normalise_label("whats my line part 2")
    assert normalise_label("Faith, Hope & Trick") == "faith hope and trick"


def test_aliases_resolve_to_canonical_characters() -> None:
    canon = load_canon()
    owners = {(fandom, c.name) for fandom, c in canon.characters_by_alias["Angelus"]}
    assert (BUFFY, "Angel") in owners
    buffy = canon.fandom(BUFFY).character("Buffy Summers")
    assert "Slayer" in buffy.weak
    assert buffy.gender == "f"


def test_buffy_details_are_merged_in() -> None:
    fandom = load_canon().fandom(BUFFY)
    partners = {other: rel for other, rel in fandom.partners("Buffy Summers")}
    assert (partners["Angel"].start, partners["Angel"].until) == ("1x07", "3x22")
    assert fandom.character("Dawn Summers").first == "5x01"
    assert "the vampire" in fandom.character("Spike").epithets
    angelus = next(e for e in fandom.events if "Angelus" in e.keywords)
    assert (angelus.code, angelus.until) == ("2x14", "2x22")


def test_extend_adds_a_character_without_changing_the_shared_canon() -> None:
    canon = load_canon()
    extended = canon.extend(BUFFY, "Marguerite Vance", ["Mags"], gender="f")
    assert extended is not canon
    names = {c.name for _, c in extended.characters_by_alias["Mags"]}
    assert names == {"Marguerite Vance"}
    assert "Mags" not in canon.characters_by_alias
    assert extended.fandom(BUFFY).character("Marguerite Vance").gender == "f"


def test_extend_merges_aliases_into_a_known_character_by_its_tag_name() -> None:
    extended = load_canon().extend(BUFFY, "Spike (Buffy the Vampire Slayer)", ["Spikey-boy"])
    spike = extended.fandom(BUFFY).character("Spike")
    assert "Spikey-boy" in spike.aliases
    assert [c.name for _, c in extended.characters_by_alias["Spikey-boy"]] == ["Spike"]


def test_with_extra_adds_fandoms_and_caches() -> None:
    canon = load_canon()
    entries = [{"fandom": "Lighthouse Keepers (TV)", "aliases": ["LKTV"]},
               {"fandom": "Lighthouse Keepers (TV)", "character": "Ada Quill", "aliases": ["Ada"]}]
    extended = canon.with_extra(entries)
    assert extended.fandom("lktv").character("Ada Quill") is not None
    assert canon.with_extra([dict(e) for e in entries]) is extended
    assert canon.with_extra([]) is canon


def test_fandom_from_data_reads_optional_details() -> None:
    details = {"characters": {"Ada Quill": {"epithets": ["the keeper"], "first": "1x02"}},
               "relationships": {"Ada Quill/Tomas Reed": {"from": "1x02"}},
               "events": [{"code": "2x01", "keywords": ["the lamp went dark"], "text": "the lamp fails"}]}
    fandom = fandom_from_data(minimal(), details)
    assert fandom.character("Ada Quill").first == "1x02"
    assert fandom.partners("Tomas Reed")[0][0] == "Ada Quill"
    assert fandom.relationships[0].start == "1x02"
    assert fandom.events[0].keywords == ("the lamp went dark",)
    assert fandom.episode("fog part 1").code == "1x02"


@pytest.mark.parametrize(("data", "details", "message"), [
    (minimal(fandom=3), None, "'fandom'"),
    (minimal(timeline=[{"title": "No code"}]), None, "'code'"),
    (minimal(characters=[{"name": "Ada", "aliases": "Ada"}]), None, "aliases"),
    (minimal(), {"characters": {"Ada Quill": {"first": "9x99"}}}, "9x99"),
    (minimal(), {"events": [{"code": "1x01", "keywords": [""]}]}, "keywords"),
    ([1, 2], None, "object"),
])
def test_bad_data_is_a_clear_error(data, details, message: str) -> None:
    with pytest.raises(CanonDataError, match=message):
        fandom_from_data(data, details, where="bad.json")


def test_load_canon_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "details").mkdir()
    (tmp_path / "keepers.json").write_text(json.dumps(minimal()), encoding="utf-8")
    (tmp_path / "details" / "keepers.json").write_text(
        json.dumps({"characters": {"Tomas Reed": {"dies": "2x01"}}}), encoding="utf-8")
    canon = load_canon_from(tmp_path)
    assert canon.fandom("LK").character("Tomas Reed").dies == "2x01"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(CanonDataError, match="broken.json"):
        load_canon_from(tmp_path)


@pytest.mark.parametrize("entry", [{"character": "No Fandom"}, {"fandom": BUFFY, "aliases": "Mags"},
                                   {"fandom": BUFFY, "character": "X", "gender": "q"}])
def test_bad_extra_entries_are_a_clear_error(entry) -> None:
    with pytest.raises(CanonDataError, match="extra canon entry"):
        load_canon().with_extra([entry])


def test_relationship_tags_may_drop_disambiguators() -> None:
    data = minimal(characters=[{"name": "Ada Quill (Lighthouse Keepers)", "aliases": ["Ada"], "gender": "f", "weak": []},
                               {"name": "Tomas Reed", "aliases": [], "gender": "m", "weak": []}])
    fandom = fandom_from_data(data)
    assert fandom.character("Ada Quill").name == "Ada Quill (Lighthouse Keepers)"
    assert [other for other, _ in fandom.partners("Tomas Reed")] == ["Ada Quill (Lighthouse Keepers)"]
    assert [other for other, _ in fandom.partners("Ada Quill (Lighthouse Keepers)")] == ["Tomas Reed"]
