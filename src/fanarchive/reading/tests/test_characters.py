"""Finding characters, fandoms and narration (fanarchive.reading.characters)."""

from __future__ import annotations

import pytest

from fanarchive.reading.canon import Canon, fandom_from_data, load_canon
from fanarchive.reading.characters import build_cast, find_characters, find_fandoms, update_speech
from fanarchive.reading.model import Quote
from fanarchive.reading.tests.builders import seed_reading, story

BUFFY = "Buffy the Vampire Slayer (TV)"


def characters(reading, canon=None) -> dict:
    find_characters(reading, canon or load_canon())
    return {c.name: c for c in reading.characters}


def test_aliases_resolve_to_canonical_names() -> None:
    found = characters(story(
        "Willow typed while Xander hovered. \"Wills, it's midnight,\" he said.",
        "Giles cleaned his glasses. Rupert Giles had seen worse nights than this in Sunnydale.",
    ))
    assert found["Willow Rosenberg"].aliases == {"Willow": 1, "Wills": 1}
    assert found["Rupert Giles"].aliases == {"Giles": 1, "Rupert Giles": 1}
    assert found["Xander Harris"].mentions == 1
    assert {c.fandom for c in found.values()} == {BUFFY}


def test_matching_is_case_sensitive_and_whole_word() -> None:
    found = characters(story(
        "Willow and Xander shared a willow-bark tea; the dawn was grey and Buffyish jokes fell flat.",
        "Later Willow called Xander again.",
    ))
    assert "Dawn Summers" not in found
    assert "Buffy Summers" not in found
    assert found["Willow Rosenberg"].mentions == 2


def test_weak_alias_needs_other_evidence() -> None:
    """"Slayer" alone is not Buffy; with the fandom in play it is."""
    alone = story("The dragon Slayer sharpened her sword. The Slayer rode north at dawn.")
    assert characters(alone) == {}
    in_play = story("Willow looked up at the Slayer. \"You okay, Slayer?\" Xander asked her.")
    found = characters(in_play)
    assert found["Buffy Summers"].aliases == {"the Slayer": 1, "Slayer": 1}


def test_declared_fandom_counts_as_evidence() -> None:
    found = characters(story("The Slayer stood alone in the rain.", fandoms=["BtVS"]))
    assert found["Buffy Summers"].aliases == {"the Slayer": 1}


def test_new_wrangled_character_is_recognised_after_extend() -> None:
    text = story("Buffy and Willow met Marguerite Vance at the Bronze. Marguerite Vance waved at Buffy.")
    canon = load_canon()
    assert "Marguerite Vance" not in characters(text, canon)
    extended = canon.extend(BUFFY, "Marguerite Vance", ["Mags"], gender="f")
    found = characters(text, extended)
    assert found["Marguerite Vance"].mentions == 2
    assert found["Marguerite Vance"].fandom == BUFFY


def two_fandoms() -> Canon:
    """Two invented fandoms sharing a character name, like crossover-prone canons."""
    def fandom(name: str, people: list[tuple[str, list[str]]], terms: list[str]) -> dict:
        return {"fandom": name, "aliases": [], "media": "TV Shows", "meta": [], "terms": terms,
                "characters": [{"name": n, "aliases": a, "gender": "", "weak": []} for n, a in people],
                "relationships": [], "timeline": []}
    sea = fandom("Harbour Lights (TV)", [("Nell Carrow", ["Nell"]), ("Silas Mott", ["Silas"]),
                                        ("Captain Orr", ["Orr"]), ("Hope Alder", ["Hope"]),
                                        ("Will Tanner", ["Will"])], ["the Breakwater"])
    sky = fandom("Cloud Cities (TV)", [("Captain Orr (Cloud Cities)", ["Orr"]), ("Vega Lune", ["Vega"]),
                                       ("Tamsin Vey", ["Tamsin"])], ["Skydock"])
    return Canon([fandom_from_data(sea), fandom_from_data(sky)])


def test_fandom_evidence_explains_shared_names_away() -> None:
    reading = story("Nell and Silas waited at the Breakwater until Orr came ashore, and then Orr spoke.")
    canon = two_fandoms()
    assert [e.name for e in find_fandoms(reading, canon)] == ["Harbour Lights (TV)"]
    found = characters(reading, canon)
    assert found["Captain Orr"].fandom == "Harbour Lights (TV)"
    assert "Captain Orr (Cloud Cities)" not in found


def test_crossover_keeps_both_fandoms() -> None:
    reading = story("Nell and Silas met Vega and Tamsin at the Skydock, and then Nell and Vega flew off over "
                    "the Breakwater.")
    names = {e.name for e in find_fandoms(reading, two_fandoms())}
    assert names == {"Harbour Lights (TV)", "Cloud Cities (TV)"}


@pytest.mark.parametrize(("visitor", "crossover"), [("Vega", False), ("Vega Lune", True)])
def test_one_visitor_named_in_full_makes_a_crossover(visitor: str, crossover: bool) -> None:
    reading = story(f"Nell and Silas waited at the Breakwater. {visitor} climbed out of the airship and "
                    f"Nell stared; Vega only laughed.", "Later Vega sat with Silas and talked until dawn.")
    names = [e.name for e in find_fandoms(reading, two_fandoms())]
    assert names == (["Harbour Lights (TV)", "Cloud Cities (TV)"] if crossover else ["Harbour Lights (TV)"])


def test_a_full_name_in_passing_makes_no_crossover() -> None:
    reading = story("Nell and Silas waited at the Breakwater, reading about Vega Lune in the papers.")
    assert [e.name for e in find_fandoms(reading, two_fandoms())] == ["Harbour Lights (TV)"]


def test_a_common_word_opening_a_sentence_is_no_evidence() -> None:
    """"Hope" and "Will" opening sentences, with "hope" and "will" elsewhere, are just words."""
    canon = two_fandoms()
    words = story("Hope is a thing with feathers, she said; I have no hope left. Will you stay? I will.")
    assert find_fandoms(words, canon) == []
    names = story("She thanked Hope for the boat and waved to Will on the quay. I hope they will write.")
    assert [e.name for e in find_fandoms(names, canon)] == ["Harbour Lights (TV)"]


@pytest.mark.parametrize(("setting", "partner"), [
    ("Set after 3x05.", "Angel"),
    ("Set after 4x12 \"A New Man\".", "Riley Finn"),
])
def test_your_boyfriend_is_the_partner_at_that_point_in_canon(setting: str, partner: str) -> None:
    reading = story(
        "Spike leaned on the crypt wall and watched Buffy stake the fledgling.",
        "\"Where's your boyfriend tonight, Slayer?\" Spike asked.",
        notes=[setting], fandoms=[BUFFY],
    )
    found = characters(reading)
    assert found[partner].aliases == {"your boyfriend": 1}


def test_my_girl_is_the_speakers_partner() -> None:
    reading = story(
        "Spike paced the factory floor while Buffy waited.",
        "He growls at her. \"You took my girl,\" he says.",
        notes=["Set after 2x14."], fandoms=[BUFFY],
    )
    assert characters(reading)["Drusilla"].aliases == {"my girl": 1}


def test_partner_reference_without_a_dated_couple_is_left_alone() -> None:
    reading = story("Willow sighed at Xander. \"Your girlfriend called,\" she said.", fandoms=[BUFFY])
    found = characters(reading)
    assert set(found) == {"Willow Rosenberg", "Xander Harris"}


THIRD_PRESENT = (
    "Buffy walks into the library and Giles looks up from his book.",
    "She watches him polish his glasses. She realises he is stalling.",
    "\"I was thinking,\" Giles says. She knows that tone.",
    "Buffy feels the floor tilt. She sits down hard.",
)
FIRST_PAST = (
    "I found Spike in the crypt. He was smoking and I told him to get out of my town.",
    "I waited. He looked at me and laughed, and I hated him for it.",
    "My hands shook when I reached for the stake.",
)


def test_third_person_present_with_a_point_of_view() -> None:
    reading = story(*THIRD_PRESENT)
    characters(reading)
    narration = reading.narration
    assert (narration.person, narration.tense, narration.pov_character) == ("third", "present", "Buffy Summers")


def test_first_person_past() -> None:
    reading = story(*FIRST_PAST)
    characters(reading)
    assert (reading.narration.person, reading.narration.tense) == ("first", "past")
    assert reading.narration.pov_character is None


def test_roles_from_prominence() -> None:
    reading = story(*THIRD_PRESENT, "Giles mentions that Xander called. Buffy nods at Giles.")
    found = characters(reading)
    assert found["Buffy Summers"].role == "main"
    assert found["Rupert Giles"].role == "main"
    assert found["Xander Harris"].role == "mentioned"


def test_build_cast_maps_every_form_of_the_fandom() -> None:
    reading = story("Spike smirked at Buffy. Buffy ignored Spike.")
    characters(reading)
    cast = build_cast(reading, load_canon())
    assert cast.names["Angelus"] == "Angel"
    assert cast.names["Slayer"] == "Buffy Summers"
    assert cast.genders["Spike"] == "m"
    assert {k: v for k, v in cast.epithets.items() if "vampire" in k} == {"vampire": "Spike", "bleached vampire": "Spike"}


def test_update_speech_counts_quotes_and_promotes_speakers() -> None:
    reading = story("Buffy and Xander talked while Spike listened. Spike, Spike and more Spike in the narration.",
                    "Willow was mentioned once.")
    found = characters(reading)
    assert found["Xander Harris"].role == "mentioned"
    reading.quotes = [Quote(0, 0, 0, 10, "Hey there everyone", speaker="Xander Harris"),
                      Quote(0, 0, 20, 30, "Hi", speaker="Xander Harris"),
                      Quote(0, 0, 40, 50, "Who are you", speaker="Mr. Nobody")]
    update_speech(reading)
    found = {c.name: c for c in reading.characters}
    assert (found["Xander Harris"].quotes, found["Xander Harris"].words_spoken) == (2, 4)
    assert found["Xander Harris"].role == "main"
    assert found["Mr. Nobody"].quotes == 1 and found["Mr. Nobody"].mentions == 0


# ---------------------------------------------------------------- the seed work


@pytest.fixture(scope="module")
def seed():
    return seed_reading()


def test_seed_fandom(seed) -> None:
    assert {c.fandom for c in seed.characters} == {BUFFY}
    assert find_fandoms(seed, load_canon())[0].name == BUFFY


def test_seed_main_and_mentioned_characters(seed) -> None:
    roles = {c.name: c.role for c in seed.characters}
    assert {name for name, role in roles.items() if role == "main"} == {"Spike", "Buffy Summers"}
    assert roles["Angel"] == roles["The Master"] == "mentioned"


def test_seed_angel_is_found_through_angelus_and_your_honey(seed) -> None:
    angel = next(c for c in seed.characters if c.name == "Angel")
    assert {"Angelus", "your honey"} <= set(angel.aliases)


def test_seed_narration(seed) -> None:
    assert (seed.narration.person, seed.narration.tense) == ("third", "present")
    assert seed.narration.pov_character == "Buffy Summers"


def test_seed_speech_is_counted(seed) -> None:
    spike = next(c for c in seed.characters if c.name == "Spike")
    assert spike.quotes >= 10 and spike.words_spoken > spike.quotes


def test_empty_and_odd_input_reads_as_nothing_found() -> None:
    reading = story("", "\"", "“your honey", "...", fandoms=[BUFFY], notes=["Set after \"\".", "season 99"])
    found = characters(reading)
    assert found == {}
    assert (reading.narration.person, reading.narration.tense) == ("unknown", "unknown")
    assert build_cast(reading, load_canon()).names["Buffy"] == "Buffy Summers"  # the declared fandom's cast
