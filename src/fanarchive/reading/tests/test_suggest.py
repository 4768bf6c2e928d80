"""Tests for tag suggestions (:mod:`fanarchive.reading.suggest`).

Readings are built by hand (front matter, paragraphs, characters as the
character finder would report them) over a small canon defined here, so
each rule is tested on its own; the seed work is read end to end.
"""

from __future__ import annotations

import pytest

from fanarchive.reading.canon import Canon, fandom_from_data
from fanarchive.reading.model import Chapter, Character, FrontMatter, Paragraph, Quote, Reading
from fanarchive.reading.suggest import (
    CHARACTER_DEATH,
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NON_CON,
    NOT_RATED,
    TEEN,
    normalise_category,
    normalise_rating,
    normalise_warning,
    suggest_tags,
)
from fanarchive.testing import seed_path

BUFFY = "Buffy the Vampire Slayer (TV)"
SHERLOCK = "Sherlock (TV)"


def _character(name: str, aliases: list[str], gender: str, weak: list[str] | None = None) -> dict:
    return {"name": name, "aliases": aliases, "gender": gender, "weak": weak or []}


@pytest.fixture(scope="module")
def canon() -> Canon:
    """Two small fandoms, enough for normalisation, crossovers and categories."""
    buffy = fandom_from_data({
        "fandom": BUFFY, "aliases": ["BtVS", "Buffy the Vampire Slayer"], "media": "TV Shows",
        "meta": ["Buffyverse"], "terms": ["Sunnydale", "Hellmouth", "Watcher", "Scooby Gang"],
        "characters": [
            _character("Buffy Summers", ["Buffy", "Slayer"], "f", ["Slayer"]),
            _character("Spike", ["William the Bloody"], "m"),
            _character("Willow Rosenberg", ["Willow"], "f"),
            _character("Rupert Giles", ["Giles"], "m"),
        ],
        "relationships": [
            {"name": "Buffy Summers/Spike", "type": "romantic"},
            {"name": "Rupert Giles & Willow Rosenberg", "type": "platonic"},
        ],
        "timeline": [{"code": "2x14", "title": "Innocence", "season": 2}],
    })
    sherlock = fandom_from_data({
        "fandom": SHERLOCK, "aliases": ["BBC Sherlock"], "media": "TV Shows",
        "meta": ["Sherlock Holmes & Related Fandoms"], "terms": ["221B", "Baker Street", "Scotland Yard"],
        "characters": [
            _character("Sherlock Holmes", ["Sherlock", "Holmes"], "m", ["Holmes"]),
            _character("John Watson", ["John", "Watson"], "m", ["John"]),
            _character("Molly Hooper", ["Molly"], "f"),
            _character("Mycroft Holmes", ["Mycroft", "Holmes"], "m", ["Holmes"]),
            _character("Violet Holmes", ["Violet", "Holmes"], "f", ["Holmes"]),
            _character("Mummy", ["Mrs. Holmes"], "f"),
        ],
        "relationships": [
            {"name": "Sherlock Holmes/John Watson", "type": "romantic"},
            {"name": "Sherlock Holmes & John Watson", "type": "platonic"},
            {"name": "Mycroft Holmes & Sherlock Holmes", "type": "platonic"},
        ],
        "timeline": [{"code": "1x01", "title": "A Study in Pink", "season": 1}],
    })
    return Canon([buffy, sherlock])


def make_reading(paragraphs: list[str], front: FrontMatter | None = None,
                 characters: list[Character] | None = None) -> Reading:
    """A one-chapter reading of ``paragraphs`` (plain text)."""
    chapter = Chapter(number=1, paragraphs=[Paragraph(text=p, html=p) for p in paragraphs])
    reading = Reading(front=front or FrontMatter(), chapters=[chapter])
    reading.word_count = sum(len(p.split()) for p in paragraphs)
    reading.characters = characters or []
    return reading


def main(name: str, fandom: str, aliases: dict[str, int]) -> Character:
    return Character(name=name, fandom=fandom, aliases=aliases, mentions=sum(aliases.values()), role="main")


def names(reading: Reading, tag_type: str, at_least: float = 0.0) -> list[str]:
    return [s.name for s in reading.suggestions_of(tag_type) if s.confidence >= at_least]


def suggestion(reading: Reading, tag_type: str, name: str):
    found = [s for s in reading.suggestions if s.type == tag_type and s.name == name]
    assert found, f"no {tag_type} suggestion {name!r} in {names(reading, tag_type)}"
    return found[0]


CALM = [
    "Sherlock poured the tea while John read the paper by the window.",
    "The morning light fell across the table and the skull on the mantelpiece.",
    "They talked about the weather, the neighbours and a case that had come to nothing.",
] * 12
SHERLOCK_CAST = [
    main("Sherlock Holmes", SHERLOCK, {"Sherlock": 12}),
    main("John Watson", SHERLOCK, {"John": 12}),
]


# ------------------------------------------------------------ normalisation


@pytest.mark.parametrize(("declared", "expected"), [
    ("PG-13", TEEN), ("T", TEEN), ("Teen And Up Audiences", TEEN), ("M", MATURE), ("NC-17", EXPLICIT),
    ("MA", EXPLICIT), ("E", EXPLICIT), ("K", GENERAL), ("K+", GENERAL), ("G", GENERAL), ("PG", GENERAL),
    ("Rated: pg-13", TEEN), ("whatever", NOT_RATED),
])
def test_declared_ratings_normalise_to_ao3(declared: str, expected: str) -> None:
    assert normalise_rating(declared) == expected


@pytest.mark.parametrize(("declared", "expected"), [
    ("Choose Not To Use Archive Warnings", CHOSE_NOT_TO_WARN),
    ("Creator Chose Not To Use Archive Warnings", CHOSE_NOT_TO_WARN),
    ("No Archive Warnings Apply", NO_WARNINGS),
    ("none", NO_WARNINGS),
    ("MCD", CHARACTER_DEATH),
    ("non-con", NON_CON),
    ("self-harm", None),
])
def test_declared_warnings_normalise_to_the_six(declared: str, expected: str | None) -> None:
    assert normalise_warning(declared) == expected


def test_declared_categories_normalise() -> None:
    assert normalise_category("slash") == "M/M"
    assert normalise_category("het") == "F/M"
    assert normalise_category("Gen") == "Gen"
    assert normalise_category("pairing-free") is None


def test_declared_tags_become_canonical_and_stay_declared(canon: Canon) -> None:
    front = FrontMatter(
        fandoms=["BtVS", "Royal Pains"], characters=["Buffy", "Spike", "Dawn"],
        relationships=["Spike/Buffy", "Giles & Willow", "Faith/Robin"], rating="PG-13",
        warnings=["none"], categories=["het"], freeforms=["Slow Burn"],
    )
    reading = make_reading(CALM, front)
    suggest_tags(reading, canon)
    assert names(reading, "fandom")[:2] == [BUFFY, "Royal Pains"]
    assert {"Buffy Summers", "Spike", "Dawn"} <= set(names(reading, "character"))
    assert {"Buffy Summers/Spike", "Rupert Giles & Willow Rosenberg", "Faith/Robin"} <= set(
        names(reading, "relationship"))
    assert names(reading, "rating") == [TEEN]
    assert names(reading, "warning") == [NO_WARNINGS]
    assert "F/M" in names(reading, "category")
    assert "Slow Burn" in names(reading, "freeform")
    for tag in (suggestion(reading, "relationship", "Buffy Summers/Spike"), suggestion(reading, "rating", TEEN)):
        assert tag.declared and tag.confidence >= 0.9
        assert tag.evidence


def test_inferred_extras_beside_a_declared_list_stay_below_preselection(canon: Canon) -> None:
    extra = Character("Molly Hooper", SHERLOCK, {"Molly": 9}, 9, role="main")
    reading = make_reading(CALM, FrontMatter(characters=["Sherlock", "John"]), [*SHERLOCK_CAST, extra])
    suggest_tags(reading, canon)
    assert suggestion(reading, "character", "Sherlock Holmes").declared
    molly = suggestion(reading, "character", "Molly Hooper")
    assert not molly.declared and molly.confidence < 0.5


# ------------------------------------------------------------- fandoms


def test_fandom_from_characters_and_terms(canon: Canon) -> None:
    reading = make_reading(CALM + ["Back at Baker Street, the case from Scotland Yard waited."],
                           characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert names(reading, "fandom") == [SHERLOCK]
    assert "Crossover" not in names(reading, "freeform")


def test_two_fandoms_with_main_characters_make_a_crossover(canon: Canon) -> None:
    cast = [*SHERLOCK_CAST, main("Buffy Summers", BUFFY, {"Buffy": 10})]
    reading = make_reading(CALM + ["Buffy had come all the way from Sunnydale, and the Hellmouth."] * 3,
                           characters=cast)
    suggest_tags(reading, canon)
    assert set(names(reading, "fandom", 0.5)) == {SHERLOCK, BUFFY}
    assert "Crossover" in names(reading, "freeform")


def test_a_single_mention_does_not_make_a_crossover(canon: Canon) -> None:
    cast = [*SHERLOCK_CAST, Character("Spike", BUFFY, {"Spike": 1}, 1)]
    reading = make_reading(CALM, characters=cast)
    suggest_tags(reading, canon)
    assert names(reading, "fandom") == [SHERLOCK]


# ------------------------------------------------------- relationships


ROMANCE = [
    "Sherlock kissed John slowly, as if he had all the time in the world.",
    "John laughed against his lips and pulled him closer on the sofa.",
    "Later, in bed, Sherlock admitted he had been jealous of every date John had ever had.",
    "\"I love you,\" John said, and Sherlock kissed him again.",
] * 3


def test_romance_between_main_characters_gives_a_slash_pairing_in_canon_order(canon: Canon) -> None:
    cast = [main("John Watson", SHERLOCK, {"John": 10}), main("Sherlock Holmes", SHERLOCK, {"Sherlock": 9})]
    reading = make_reading(CALM + ROMANCE, characters=cast)
    suggest_tags(reading, canon)
    pairing = suggestion(reading, "relationship", "Sherlock Holmes/John Watson")
    assert pairing.confidence >= 0.5 and not pairing.declared
    assert any("kiss" in line for line in pairing.evidence)
    assert names(reading, "category", 0.5) == ["M/M"]


def test_company_without_romance_gives_a_friendship_at_most(canon: Canon) -> None:
    reading = make_reading(CALM, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert not [n for n in names(reading, "relationship") if "/" in n]
    assert names(reading, "relationship") == ["Sherlock Holmes & John Watson"]
    assert "Gen" in names(reading, "category")


def test_a_friendship_canon_also_ships_is_offered_but_not_preselected(canon: Canon) -> None:
    reading = make_reading(CALM, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert suggestion(reading, "relationship", "Sherlock Holmes & John Watson").confidence < 0.5
    brothers = [main("Sherlock Holmes", SHERLOCK, {"Sherlock": 12}), main("Mycroft Holmes", SHERLOCK, {"Mycroft": 12})]
    reading = make_reading([p.replace("John", "Mycroft") for p in CALM], characters=brothers)
    suggest_tags(reading, canon)
    assert names(reading, "relationship", 0.5) == ["Mycroft Holmes & Sherlock Holmes"]


def test_a_canon_family_tie_is_never_made_romantic(canon: Canon) -> None:
    cast = [main("Sherlock Holmes", SHERLOCK, {"Sherlock": 10}), main("Mycroft Holmes", SHERLOCK, {"Mycroft": 10})]
    text = [p.replace("John", "Mycroft") for p in ROMANCE]
    reading = make_reading(text, characters=cast)
    suggest_tags(reading, canon)
    assert "Mycroft Holmes/Sherlock Holmes" not in names(reading, "relationship")
    assert "Sherlock Holmes/Mycroft Holmes" not in names(reading, "relationship")


def test_a_canon_pairing_needs_less_romance_than_others(canon: Canon) -> None:
    one_scene = ["Sherlock kissed John once, quickly, by the door."]
    reading = make_reading(CALM + one_scene, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert "Sherlock Holmes/John Watson" in names(reading, "relationship", 0.5)
    cast = [main("Molly Hooper", SHERLOCK, {"Molly": 12}), main("John Watson", SHERLOCK, {"John": 12})]
    reading = make_reading([p.replace("Sherlock", "Molly") for p in CALM + one_scene], characters=cast)
    suggest_tags(reading, canon)
    assert not [n for n in names(reading, "relationship") if "/" in n]


@pytest.mark.parametrize(
    "relative",
    [
        main("Violet Holmes", SHERLOCK, {"Violet": 12}),  # the family name is in the character's name
        main("Mummy", SHERLOCK, {"Mummy": 12}),  # ... or only in a canon alias ("Mrs. Holmes")
    ],
    ids=["shared-family-name", "family-name-from-alias"],
)
def test_family_members_are_not_paired_romantically(canon: Canon, relative) -> None:
    cast = [main("Mycroft Holmes", SHERLOCK, {"Mycroft": 12}), relative]
    first_name = next(iter(relative.aliases))
    text = [p.replace("Sherlock", first_name).replace("John", "Mycroft") for p in ROMANCE]
    reading = make_reading(text, characters=cast)
    suggest_tags(reading, canon)
    assert not [n for n in names(reading, "relationship") if "/" in n]


def test_romance_in_a_group_scene_pairs_only_the_strongest_couple(canon: Canon) -> None:
    cast = [*SHERLOCK_CAST, main("Molly Hooper", SHERLOCK, {"Molly": 8})]
    group = ["Molly watched Sherlock kiss John and smiled at the two of them."] * 2
    reading = make_reading(CALM + ROMANCE + group, characters=cast)
    suggest_tags(reading, canon)
    assert [n for n in names(reading, "relationship") if "/" in n] == ["Sherlock Holmes/John Watson"]


def test_a_pairing_named_in_the_summary_is_suggested(canon: Canon) -> None:
    reading = make_reading(CALM, FrontMatter(summary="A quiet morning (Sherlock/John)."), SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert suggestion(reading, "relationship", "Sherlock Holmes/John Watson").evidence == [
        "A quiet morning (Sherlock/John)."]


# -------------------------------------------------------------- rating


EXPLICIT_SCENE = [
    "John's cock pressed against Sherlock's hip and he gasped.",
    "Sherlock reached for the lube and John moaned his name.",
    "The orgasm left them both shaking, his erection spent.",
] * 3


@pytest.mark.parametrize(("extra", "expected"), [
    ([], GENERAL),
    (["\"Oh, fuck off,\" John said.", "\"Shit,\" Sherlock muttered."], TEEN),
    (EXPLICIT_SCENE, EXPLICIT),
])
def test_rating_from_the_strongest_content(canon: Canon, extra: list[str], expected: str) -> None:
    reading = make_reading(CALM + extra, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert names(reading, "rating") == [expected]
    assert suggestion(reading, "rating", expected).evidence


def test_text_in_another_language_is_not_rated(canon: Canon) -> None:
    reading = make_reading(["他们很快开始了交往，身体接触的次数也大大增加。" * 20] * 5)
    suggest_tags(reading, canon)
    assert names(reading, "rating") == [NOT_RATED]
    assert names(reading, "warning") == [CHOSE_NOT_TO_WARN]


# ------------------------------------------------------------ warnings


def test_light_text_gets_no_archive_warnings(canon: Canon) -> None:
    reading = make_reading(CALM, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert names(reading, "warning") == [NO_WARNINGS]


def test_violent_text_gets_the_cautious_warning(canon: Canon) -> None:
    fight = ["The man stabbed him, and blood soaked through John's shirt.",
             "Sherlock punched the attacker and the gun went off."] * 6
    reading = make_reading(CALM + fight, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert CHOSE_NOT_TO_WARN in names(reading, "warning")
    assert NO_WARNINGS not in names(reading, "warning")


def test_death_of_a_main_character_is_warned(canon: Canon) -> None:
    death = ["Sherlock died in the hospital before dawn.", "At the funeral, John could not speak.",
             "John stood by the grave long after Sherlock's funeral was over."]
    reading = make_reading(CALM + death, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    assert CHARACTER_DEATH in names(reading, "warning")
    assert "Character Death" in names(reading, "freeform")


# ------------------------------------------------------------ freeforms


def test_continuity_statements_become_au_and_hedged_canon_compliance(canon: Canon) -> None:
    front = FrontMatter(continuity=[
        "I imagine this being a slight AU, but it can be read as canon-compliant."])
    reading = make_reading(CALM, front, SHERLOCK_CAST)
    suggest_tags(reading, canon)
    au = suggestion(reading, "freeform", "Alternate Universe")
    compliant = suggestion(reading, "freeform", "Canon Compliant")
    assert au.confidence > compliant.confidence
    assert au.evidence == front.continuity


def test_disability_and_angst_from_the_story(canon: Canon) -> None:
    story = [
        "His hands tightened on the push rims of the wheelchair.",
        "He had not walked since the fall; the doctors said he never would walk again, paralysed from the waist.",
        "The pain in his voice made her shudder, and she fought back tears.",
        "He cried quietly, alone with his grief and his misery.",
        "She left him there, heartbroken and lonely.",
    ] * 2
    reading = make_reading(story, characters=SHERLOCK_CAST)
    suggest_tags(reading, canon)
    disability = suggestion(reading, "freeform", "Disability")
    assert any("wheelchair" in line for line in disability.evidence)
    assert "Angst" in names(reading, "freeform")
    assert "Fluff" not in names(reading, "freeform")


# ------------------------------------------------------------ invariants


def test_every_suggestion_is_well_formed_and_unique(canon: Canon) -> None:
    front = FrontMatter(characters=["Sherlock", "Sherlock Holmes"], freeforms=["Angst", "angst"])
    reading = make_reading(CALM + ROMANCE + EXPLICIT_SCENE, front, SHERLOCK_CAST)
    suggest_tags(reading, canon)
    suggest_tags(reading, canon)  # a second pass adds nothing new
    keys = [(s.type, s.name.casefold()) for s in reading.suggestions]
    assert len(keys) == len(set(keys))
    assert {s.type for s in reading.suggestions} >= {"fandom", "character", "relationship", "rating",
                                                      "warning", "category", "freeform"}
    for s in reading.suggestions:
        assert 0.0 <= s.confidence <= 1.0, s
        assert 1 <= len(s.evidence) <= 3, s


def romantic_pairs(reading: Reading, at_least: float = 0.0) -> list[set[str]]:
    """The members of each "/" pairing suggested, as sets (order-free)."""
    return [set(n.split("/")) for n in names(reading, "relationship", at_least) if "/" in n]


@pytest.mark.parametrize(("line", "speaker", "addressee"), [
    ('"My girlfriend is waiting at the lab," John told Sherlock, pulling on his coat.', "John Watson",
     "Sherlock Holmes"),
    ('"Your girlfriend is waiting at the lab," Sherlock told John, without looking up.', "Sherlock Holmes",
     "John Watson"),
])
def test_a_partner_reference_pairs_its_owner_with_the_partner_only(
        canon: Canon, line: str, speaker: str, addressee: str) -> None:
    phrase = line[1:line.index(" is")]
    cast = [*SHERLOCK_CAST, Character("Molly Hooper", SHERLOCK, {"Molly": 2, phrase: 1}, mentions=3)]
    reading = make_reading(CALM + [line], characters=cast)
    reading.quotes = [Quote(0, len(CALM), 0, line.index(",") + 2, line[1:line.index(",")], speaker, addressee)]
    suggest_tags(reading, canon)
    assert romantic_pairs(reading) == [{"John Watson", "Molly Hooper"}]
    background = suggestion(reading, "relationship", "John Watson/Molly Hooper")
    assert background.confidence < 0.5 and background.evidence == [line]
    assert "Sherlock Holmes/John Watson" not in names(reading, "relationship")  # the word is no romance


def test_an_unattributed_your_belongs_to_the_other_character_on_stage() -> None:
    text = "\n\n".join([
        "Title: Graveyard Shift",
        'Notes: Set after 2.14 "Innocence".',
        "The cemetery gates creak as Buffy pushes through them, stake ready. Spike is sitting on a "
        "headstone, smoking, as if he owns the place.",
        '"Evening, Slayer," Spike says. "Your boyfriend was round here earlier. Didn\'t say hello."',
        'Buffy stops walking. "Don\'t talk about him."',
        '"Touchy," Spike says, and flicks the cigarette away. "Must sting, your boyfriend going bad on you '
        'like that."',
        "Buffy keeps her eyes on the crypt behind him and says nothing at all.",
        '"Suit yourself," Spike says. "I\'m off to find my girl. Night, Slayer."',
    ])
    from fanarchive.reading import read

    reading = read(text)
    pairs = romantic_pairs(reading)
    assert {"Buffy Summers", "Angel"} in pairs and {"Drusilla", "Spike"} in pairs
    assert {"Angel", "Spike"} not in pairs and {"Buffy Summers", "Spike"} not in pairs
    assert romantic_pairs(reading, 0.5) == []  # partners only talked about: background


def test_a_character_named_in_passing_is_offered_below_preselection(canon: Canon) -> None:
    molly = Character("Molly Hooper", SHERLOCK, {"Molly": 4}, mentions=4)
    for leads, preselected in ((12, True), (100, False)):
        cast = [main("Sherlock Holmes", SHERLOCK, {"Sherlock": leads}), main("John Watson", SHERLOCK, {"John": 12}),
                molly]
        reading = make_reading(CALM, characters=cast)
        suggest_tags(reading, canon)
        assert (suggestion(reading, "character", "Molly Hooper").confidence >= 0.5) is preselected


# ---------------------------------------------------------------- seed


def test_seed_work_suggestions() -> None:
    path = seed_path()
    if not path.exists():
        pytest.skip("seed work not available")
    from fanarchive.reading import read

    reading = read(path.read_text(encoding="utf-8"))
    assert names(reading, "fandom")[0] == BUFFY
    assert {"Spike", "Buffy Summers"} <= set(names(reading, "character", 0.5))
    freeforms = names(reading, "freeform")
    assert {"Alternate Universe", "Angst", "Disability"} <= set(freeforms)
    assert "Canon Compliant" in freeforms
    assert (suggestion(reading, "freeform", "Alternate Universe").confidence
            >= suggestion(reading, "freeform", "Canon Compliant").confidence)
    assert set(names(reading, "warning")) <= {CHOSE_NOT_TO_WARN, NO_WARNINGS}
    assert names(reading, "rating")[0] in {TEEN, GENERAL}
    # Spike calls Angel Buffy's "boyfriend" and Drusilla "my girl": background pairings, nothing more.
    pairs = romantic_pairs(reading)
    assert {"Buffy Summers", "Angel"} in pairs and {"Spike", "Drusilla"} in pairs
    assert {"Angel", "Spike"} not in pairs and {"Buffy Summers", "Spike"} not in pairs
    assert romantic_pairs(reading, 0.5) == []
