"""Schema and consistency checks for the canon knowledge files.

Every ``*.json`` file in ``fanarchive/reading/canon/`` describes one fandom
(characters, relationships, timeline).  The reader trusts these files, so a
typo here (a relationship naming a character that does not exist, an alias
claimed by two characters) would silently produce wrong readings; these
tests catch such mistakes when a file is added or edited.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fanarchive.reading.canon import AO3_MEDIA, CANON_DIR, normalise_label

REQUIRED_KEYS = {
    "fandom": str,
    "aliases": list,
    "media": str,
    "meta": list,
    "terms": list,
    "characters": list,
    "relationships": list,
    "timeline": list,
}
# "events" may sit inline instead of in canon/details/ (see fanarchive.reading.canon).
OPTIONAL_KEYS = {"partial": bool, "events": list}
CHARACTER_KEYS = {"name": str, "aliases": list, "gender": str, "weak": list}
GENDERS = {"m", "f", ""}
RELATIONSHIP_TYPES = {"/": "romantic", " & ": "platonic"}
# Relationship members that are not characters of the fandom.
GENERIC_MEMBERS = {
    "Original Character(s)",
    "Original Female Character(s)",
    "Original Male Character(s)",
    "Reader",
}
DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)$")
TV_CODE = re.compile(r"^(\d+)x(\d+)$")

CANON_FILES = sorted(CANON_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    """Parse one canon file (failing the test with the file name on bad JSON)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        pytest.fail(f"{path.name}: invalid JSON: {exc}")


def is_string_list(value: Any) -> bool:
    """True for a list whose items are all non-empty, stripped strings."""
    return isinstance(value, list) and all(
        isinstance(item, str) and item and item == item.strip() for item in value
    )


def relationship_members(name: str) -> tuple[str, list[str]]:
    """Split ``A/B`` or ``A & B`` into its separator and members."""
    if "/" in name and " & " in name:
        raise AssertionError(f"relationship {name!r} mixes '/' and '&'")
    separator = "/" if "/" in name else " & "
    return separator, [member.strip() for member in name.split(separator)]


def member_names(characters: list[dict[str, Any]]) -> set[str]:
    """Names a relationship tag may use for the file's characters.

    AO3 relationship tags usually drop a character tag's disambiguator
    (``Gaara (Naruto)`` appears as ``Gaara/Uzumaki Naruto``), so both the
    full name and the bare name are accepted.
    """
    names = set(GENERIC_MEMBERS)
    for character in characters:
        names.add(character["name"])
        names.add(DISAMBIGUATOR.sub("", character["name"]))
    return names


def bare_name_owners(characters: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Character name without its disambiguator → the characters that have it."""
    owners: dict[str, list[str]] = {}
    for character in characters:
        owners.setdefault(DISAMBIGUATOR.sub("", character["name"]), []).append(character["name"])
    return owners


def test_canon_folder_has_files() -> None:
    assert CANON_FILES, f"no canon files in {CANON_DIR}"


def test_file_names_are_snake_case_slugs() -> None:
    for path in CANON_FILES:
        assert re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*\.json", path.name), path.name


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_top_level_schema(path: Path) -> None:
    data = load(path)
    assert isinstance(data, dict), f"{path.name}: top level must be an object"
    missing = set(REQUIRED_KEYS) - set(data)
    assert not missing, f"{path.name}: missing keys {sorted(missing)}"
    unknown = set(data) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    for key, expected in {**REQUIRED_KEYS, **OPTIONAL_KEYS}.items():
        if key in data:
            assert isinstance(data[key], expected), f"{path.name}: {key} must be {expected.__name__}"
    assert data["fandom"].strip(), f"{path.name}: empty fandom name"
    assert data["media"] in AO3_MEDIA, f"{path.name}: unknown media {data['media']!r}"
    for key in ("aliases", "meta", "terms"):
        assert is_string_list(data[key]), f"{path.name}: {key} must be a list of non-empty strings"
    assert 10 <= len(data["terms"]) <= 40, f"{path.name}: {len(data['terms'])} terms (want 10-40)"
    assert data["fandom"] not in data["aliases"], f"{path.name}: fandom repeated in aliases"


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_characters(path: Path) -> None:
    characters = load(path)["characters"]
    assert 25 <= len(characters) <= 80, f"{path.name}: {len(characters)} characters (want 25-80)"
    for character in characters:
        assert isinstance(character, dict), f"{path.name}: character {character!r} is not an object"
        assert set(character) == set(CHARACTER_KEYS), (
            f"{path.name}: character keys {sorted(character)} != {sorted(CHARACTER_KEYS)}"
        )
        for key, expected in CHARACTER_KEYS.items():
            assert isinstance(character[key], expected), f"{path.name}: {character['name']}.{key}"
        label = f"{path.name}: {character['name']}"
        assert character["name"].strip() == character["name"] and character["name"], label
        assert character["gender"] in GENDERS, f"{label}: gender {character['gender']!r}"
        assert is_string_list(character["aliases"]), f"{label}: bad aliases"
        assert is_string_list(character["weak"]), f"{label}: bad weak aliases"
        stray = set(character["weak"]) - set(character["aliases"])
        assert not stray, f"{label}: weak aliases {sorted(stray)} are not among its aliases"
    names = [c["name"] for c in characters]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"{path.name}: duplicate characters {sorted(duplicates)}"


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_shared_aliases_are_weak(path: Path) -> None:
    """An alias two characters share is ambiguous, so both must mark it weak."""
    characters = load(path)["characters"]
    owners: dict[str, list[tuple[str, bool]]] = {}
    for character in characters:
        weak = {alias.casefold() for alias in character["weak"]}
        for alias in {a.casefold() for a in character["aliases"]}:
            owners.setdefault(alias, []).append((character["name"], alias in weak))
    names = {c["name"].casefold(): c["name"] for c in characters}
    for alias, claims in owners.items():
        if len(claims) > 1:
            strong = [name for name, is_weak in claims if not is_weak]
            assert not strong, (
                f"{path.name}: alias {alias!r} shared by {[n for n, _ in claims]} "
                f"but not weak for {strong}"
            )
        own = names.get(alias)
        assert own is None or all(name == own for name, _ in claims), (
            f"{path.name}: alias {alias!r} is another character's name ({own})"
        )


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_relationships(path: Path) -> None:
    data = load(path)
    relationships = data["relationships"]
    assert 10 <= len(relationships) <= 40, f"{path.name}: {len(relationships)} relationships"
    known = member_names(data["characters"])
    bare = bare_name_owners(data["characters"])
    seen: set[tuple[str, frozenset[str]]] = set()
    for relationship in relationships:
        assert set(relationship) == {"name", "type"}, f"{path.name}: {relationship!r}"
        name = relationship["name"]
        separator, members = relationship_members(name)
        key = (separator, frozenset(members))
        assert key not in seen, f"{path.name}: {name!r} repeats a relationship (maybe in another order)"
        seen.add(key)
        assert len(members) >= 2, f"{path.name}: {name!r} has fewer than two members"
        assert relationship["type"] == RELATIONSHIP_TYPES[separator], (
            f"{path.name}: {name!r} is {relationship['type']} but uses {separator!r}"
        )
        unknown = [m for m in members if m not in known]
        assert not unknown, f"{path.name}: {name!r} names unknown characters {unknown}"
        ambiguous = [m for m in members if len(bare.get(m, [])) > 1]
        assert not ambiguous, f"{path.name}: {name!r} members {ambiguous} match several characters"
        assert len(set(members)) == len(members), f"{path.name}: {name!r} repeats a member"


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_timeline(path: Path) -> None:
    timeline = load(path)["timeline"]
    assert timeline, f"{path.name}: empty timeline"
    codes: list[str] = []
    for entry in timeline:
        assert isinstance(entry, dict), f"{path.name}: timeline entry {entry!r}"
        assert {"code", "title"} <= set(entry) <= {"code", "title", "season"}, (
            f"{path.name}: timeline keys {sorted(entry)}"
        )
        assert isinstance(entry["code"], str) and entry["code"].strip(), f"{path.name}: {entry!r}"
        assert isinstance(entry["title"], str) and entry["title"].strip(), f"{path.name}: {entry!r}"
        match = TV_CODE.match(entry["code"])
        if "season" in entry:
            assert isinstance(entry["season"], int) and entry["season"] >= 0, f"{path.name}: {entry!r}"
            if match:
                assert int(match.group(1)) == entry["season"], (
                    f"{path.name}: code {entry['code']} disagrees with season {entry['season']}"
                )
        codes.append(entry["code"])
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicates, f"{path.name}: duplicate timeline codes {duplicates}"


@pytest.mark.parametrize("path", CANON_FILES, ids=lambda p: p.stem)
def test_tv_episodes_in_order(path: Path) -> None:
    """Within one season, ``SxEE`` episodes are listed in airing order."""
    last_episode: dict[int, int] = {}
    for entry in load(path)["timeline"]:
        match = TV_CODE.match(entry["code"])
        if not match:
            continue
        season, episode = int(match.group(1)), int(match.group(2))
        assert episode > last_episode.get(season, -1), (
            f"{path.name}: {entry['code']} listed after episode {last_episode[season]}"
        )
        last_episode[season] = episode


def test_fandom_names_and_aliases_are_unique_across_files() -> None:
    """A fandom tag must resolve to exactly one canon file.

    Labels are compared the way the loader looks them up (normalised, and
    with the fandom's "(TV)"-style disambiguator dropped).
    """
    owner: dict[str, str] = {}
    for path in CANON_FILES:
        data = load(path)
        labels = (data["fandom"], DISAMBIGUATOR.sub("", data["fandom"]), *data["aliases"])
        for key in {normalise_label(label) for label in labels}:
            assert key not in owner, f"{key!r} claimed by {owner[key]} and {path.name}"
            owner[key] = path.name
