"""Canon knowledge: the fandoms, characters and timelines the reader knows.

Each fandom is one JSON file in ``fanarchive/reading/canon/`` (package
data).  Required keys (checked by ``tests/test_canon_data.py``)::

    {"fandom": "Buffy the Vampire Slayer (TV)", "aliases": ["BtVS"],
     "media": "TV Shows", "meta": ["Buffyverse"], "terms": ["Sunnydale"],
     "partial": false,
     "characters": [{"name": "Buffy Summers", "aliases": ["Buffy", "Slayer"],
                     "gender": "f", "weak": ["Slayer"]}],
     "relationships": [{"name": "Buffy Summers/Spike", "type": "romantic"}],
     "timeline": [{"code": "2x14", "title": "Innocence", "season": 2}]}

``weak`` aliases are ambiguous words ("Slayer", "Master") that count as a
mention only when the story is otherwise known to be in the fandom.

Optional story-level details, used for placement and contextual references,
live in ``canon/details/<same file name>.json`` (or inline in the main file
under the same keys)::

    {"characters": {"Spike": {"epithets": ["the vampire"], "first": "2x03",
                              "dies": "7x22"}},
     "relationships": {"Buffy Summers/Angel": {"from": "1x07", "until": "3x22"}},
     "events": [{"code": "2x14", "until": "2x22", "keywords": ["Angelus"],
                 "characters": ["Angel"], "text": "Angel loses his soul"}]}

* character ``epithets``: lower-case descriptions that may stand for the
  character ("the vampire"); ``first``: timeline code of the first
  appearance; ``dies``: code of the entry in which the character dies.
* relationship ``from``: the entry in which it begins (absent: before the
  timeline starts); ``until``: the entry in which it ends (absent: never).
* ``events``: something that happens in entry ``code`` (so a story that
  refers to it is set after it) and, with ``until``, a state that lasts until
  that entry (so the story is set before it).  ``keywords`` are phrases that
  reveal it (matched case-sensitively when they hold a capital letter, else
  case-insensitively); ``characters`` must all be present for it to count.

:func:`load_canon` reads all files once.  The archive extends recognition at
run time with its wrangled tags through :meth:`Canon.with_extra`, which
returns a new :class:`Canon` (the shared one is never modified).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from fanarchive.reading.model import Episode

CANON_DIR = Path(__file__).with_name("canon")

#: AO3's media categories; every fandom file names one of them.
AO3_MEDIA = (
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
)
DETAILS_DIR = CANON_DIR / "details"

_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)$")


def bare_name(name: str) -> str:
    """A tag name without AO3's trailing disambiguator: "Q (Bond)" → "Q"."""
    return _DISAMBIGUATOR.sub("", name).strip()


_CODE_FORMS = (
    re.compile(r"^s(?:eason)?\s*0*(\d+)\s*,?\s*e(?:p(?:isode)?)?\s*0*(\d+)$"),
    re.compile(r"^0*(\d+)\s*[x.\-]\s*0*(\d+)$"),
)
_PART_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "one": "1", "two": "2", "three": "3"}


class CanonDataError(ValueError):
    """A canon file is malformed; the message names the file and the problem."""


def normalise_label(text: str) -> str:
    """Case-, space- and punctuation-insensitive key for fandom names and titles.

    "Becoming: Part I", "becoming part 1" and "Becoming, Part One" all give
    ``"becoming part 1"``; ``&`` reads as "and".
    """
    words = re.findall(r"[^\W_]+", text.casefold().replace("&", " and ").replace("'", "").replace("’", ""))
    out: list[str] = []
    for word in words:
        if out and out[-1] == "part" and word in _PART_NUMBERS:
            word = _PART_NUMBERS[word]
        out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class CanonCharacter:
    """One character of a fandom and every way the text may name them."""

    name: str
    aliases: tuple[str, ...] = ()
    gender: str = ""
    weak: frozenset[str] = frozenset()
    epithets: tuple[str, ...] = ()
    first: str | None = None
    dies: str | None = None

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The name, its aliases and the name without a "(Fandom)" disambiguator."""
        forms = [self.name, *self.aliases]
        bare = _DISAMBIGUATOR.sub("", self.name)
        if bare != self.name:
            forms.append(bare)
        return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Relationship:
    """A canon relationship tag, with when it holds on the timeline."""

    name: str
    type: str
    members: tuple[str, ...]
    start: str | None = None  # "from" in the data
    until: str | None = None


@dataclass(frozen=True)
class CanonEvent:
    """A canon happening that places a story which refers to it."""

    code: str
    keywords: tuple[str, ...]
    text: str = ""
    until: str | None = None
    characters: tuple[str, ...] = ()


@dataclass(eq=False)
class Fandom:
    """Everything known about one fandom (hashable by identity, for caches)."""

    name: str
    aliases: tuple[str, ...] = ()
    media: str = ""
    meta: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    partial: bool = False
    characters: list[CanonCharacter] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    timeline: list[Episode] = field(default_factory=list)
    events: list[CanonEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name = {c.name: c for c in self.characters}
        for character in self.characters:  # relationship tags drop "(Fandom)" disambiguators
            self._by_name.setdefault(_DISAMBIGUATOR.sub("", character.name), character)
        self._by_code = {e.code.casefold(): e for e in self.timeline}
        self._by_title: dict[str, Episode] = {}
        for episode in self.timeline:
            self._by_title.setdefault(normalise_label(episode.title), episode)

    def character(self, name: str) -> CanonCharacter | None:
        """The character with this canonical name (or that name without its disambiguator), if any."""
        return self._by_name.get(name)

    def episode(self, code_or_title: str) -> Episode | None:
        """The timeline entry for a code ("2x14", "2.14", "S02E14", "season 2 episode 14") or a title."""
        key = code_or_title.strip().casefold()
        if key in self._by_code:
            return self._by_code[key]
        for form in _CODE_FORMS:
            match = form.match(key)
            if match:
                season, number = int(match.group(1)), int(match.group(2))
                found = self._by_code.get(f"{season}x{number:02d}") or self._by_code.get(f"{season}x{number}")
                if found:
                    return found
        return self._by_title.get(normalise_label(code_or_title))

    def partners(self, name: str, kind: str = "romantic") -> list[tuple[str, Relationship]]:
        """(partner's canonical name, relationship) for every two-person relationship of ``kind`` naming ``name``."""
        found = []
        for rel in self.relationships:
            if rel.type != kind or len(rel.members) != 2:
                continue
            people = [self.character(m) for m in rel.members]
            names = [p.name if p else m for p, m in zip(people, rel.members)]
            if name in names:
                found.append((names[1] if names[0] == name else names[0], rel))
        return found


class Canon:
    """All known fandoms, with the lookups the reader needs.

    Instances are treated as immutable: :meth:`extend` and
    :meth:`with_extra` return new ones, so the cached canon can be shared.
    """

    def __init__(self, fandoms: Iterable[Fandom]) -> None:
        self.fandoms: dict[str, Fandom] = {f.name: f for f in fandoms}
        self._labels: dict[str, str] = {}
        for fandom in self.fandoms.values():
            for label in (fandom.name, _DISAMBIGUATOR.sub("", fandom.name), *fandom.aliases):
                self._labels.setdefault(normalise_label(label), fandom.name)
        self._aliases: dict[str, list[tuple[str, CanonCharacter]]] | None = None
        self._extended: dict[tuple, Canon] = {}

    def fandom(self, name_or_alias: str) -> Fandom | None:
        """The fandom for a tag or any of its aliases, case-insensitively."""
        key = self._labels.get(normalise_label(name_or_alias))
        return self.fandoms[key] if key else None

    @property
    def characters_by_alias(self) -> dict[str, list[tuple[str, CanonCharacter]]]:
        """Surface form → every (fandom name, character) it may name."""
        if self._aliases is None:
            table: dict[str, list[tuple[str, CanonCharacter]]] = {}
            for fandom in self.fandoms.values():
                for character in fandom.characters:
                    for form in character.surface_forms:
                        table.setdefault(form, []).append((fandom.name, character))
            self._aliases = table
        return self._aliases

    def timeline(self, fandom: str) -> list[Episode]:
        """The fandom's timeline (empty when the fandom or its timeline is unknown)."""
        found = self.fandom(fandom)
        return found.timeline if found else []

    def episode(self, fandom: str, code_or_title: str) -> Episode | None:
        """One timeline entry by code or title (see :meth:`Fandom.episode`)."""
        found = self.fandom(fandom)
        return found.episode(code_or_title) if found else None

    def extend(self, fandom: str, character: str, aliases: Iterable[str] = (), gender: str = "") -> Canon:
        """A canon that also knows ``character`` (or more aliases for it) in ``fandom``."""
        return self.with_extra([{"fandom": fandom, "character": character, "aliases": list(aliases), "gender": gender}])

    def with_extra(self, entries: Iterable[Mapping[str, Any]]) -> Canon:
        """A canon extended with the archive's own wrangled tags.

        Each entry is plain data: ``{"fandom": ..., "character": ...,
        "aliases": [...], "gender": "m"|"f"|""}`` adds a character (or
        aliases to a known one); ``{"fandom": ..., "aliases": [...]}`` without
        ``character`` adds fandom synonyms (or a new fandom).  Results are
        cached per distinct entry list, so calling this on every read costs
        little while the tags do not change.
        """
        key = tuple(_extra_entry(e) for e in entries)
        if not key:
            return self
        if key not in self._extended:
            if len(self._extended) >= 16:
                self._extended.pop(next(iter(self._extended)))
            self._extended[key] = self._build_extended(key)
        return self._extended[key]

    def _build_extended(self, entries: tuple[tuple[str, str, tuple[str, ...], str], ...]) -> Canon:
        fandoms = dict(self.fandoms)
        for fandom_label, character, aliases, gender in entries:
            existing = self.fandom(fandom_label)
            name = existing.name if existing else fandom_label
            base = fandoms.get(name) or Fandom(name=name)
            if not character:
                fandoms[name] = replace(base, aliases=tuple(dict.fromkeys((*base.aliases, *aliases))))
                continue
            cast = list(base.characters)
            for i, known in enumerate(cast):
                if character == known.name or character in known.surface_forms:
                    cast[i] = replace(known, aliases=tuple(dict.fromkeys((*known.aliases, *aliases))),
                                      gender=known.gender or gender)
                    break
            else:
                cast.append(CanonCharacter(name=character, aliases=tuple(aliases), gender=gender))
            fandoms[name] = replace(base, characters=cast)
        return Canon(fandoms.values())


def _extra_entry(entry: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...], str]:
    """One :meth:`Canon.with_extra` entry as a hashable tuple, checked."""
    where = f"extra canon entry {dict(entry)!r}"
    fandom = entry.get("fandom")
    if not isinstance(fandom, str) or not fandom.strip():
        raise CanonDataError(f"{where}: 'fandom' must be a non-empty string")
    character = entry.get("character") or ""
    if not isinstance(character, str):
        raise CanonDataError(f"{where}: 'character' must be a string")
    gender = entry.get("gender") or ""
    if gender not in ("m", "f", ""):
        raise CanonDataError(f"{where}: 'gender' must be 'm', 'f' or ''")
    return fandom.strip(), character.strip(), _strings(entry, "aliases", where), gender


# ---------------------------------------------------------------- loading


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CanonDataError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _require(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if not isinstance(data.get(key), kind):
        raise CanonDataError(f"{where}: {key!r} must be a {kind.__name__}")
    return data[key]


def fandom_from_data(data: Mapping[str, Any], details: Mapping[str, Any] | None = None, where: str = "canon") -> Fandom:
    """Build a :class:`Fandom` from one canon file's data (and its optional details)."""
    if not isinstance(data, Mapping):
        raise CanonDataError(f"{where}: top level must be an object")
    extra = {**{k: data[k] for k in ("events",) if k in data}, **(details or {})}
    char_details = extra.get("characters", {})
    rel_details = extra.get("relationships", {})
    name = _require(data, "fandom", str, where).strip()
    timeline = []
    for i, entry in enumerate(_require(data, "timeline", list, where)):
        label = f"{where}: timeline[{i}]"
        season = entry.get("season") if isinstance(entry, Mapping) else None
        timeline.append(Episode(index=i, code=_require(entry, "code", str, label),
                                title=_require(entry, "title", str, label),
                                season=season if isinstance(season, int) else None))
    codes = {e.code for e in timeline}

    def code(value: Any, label: str) -> str | None:
        if value is not None and value not in codes:
            raise CanonDataError(f"{label}: {value!r} is not a code of the timeline")
        return value

    characters = []
    for entry in _require(data, "characters", list, where):
        label = f"{where}: character {entry.get('name', '?') if isinstance(entry, Mapping) else entry!r}"
        if not isinstance(entry, Mapping):
            raise CanonDataError(f"{label}: must be an object")
        cname = _require(entry, "name", str, label).strip()
        more = {**entry, **char_details.get(cname, {})}
        characters.append(CanonCharacter(
            name=cname,
            aliases=_strings(entry, "aliases", label),
            gender=entry.get("gender") or "",
            weak=frozenset(_strings(entry, "weak", label)),
            epithets=_strings(more, "epithets", label),
            first=code(more.get("first"), label),
            dies=code(more.get("dies"), label),
        ))
    relationships = []
    for entry in _require(data, "relationships", list, where):
        rname = _require(entry, "name", str, f"{where}: relationship").strip()
        more = {**entry, **rel_details.get(rname, {})}
        members = tuple(m.strip() for m in re.split(r"/|\s&\s", rname))
        relationships.append(Relationship(
            name=rname, type=entry.get("type") or ("romantic" if "/" in rname else "platonic"), members=members,
            start=code(more.get("from"), rname), until=code(more.get("until"), rname)))
    events = []
    for entry in extra.get("events", []):
        label = f"{where}: event {entry.get('text') or entry.get('code')}"
        events.append(CanonEvent(code=code(_require(entry, "code", str, label), label),
                                 keywords=_strings(entry, "keywords", label), text=entry.get("text", ""),
                                 until=code(entry.get("until"), label),
                                 characters=_strings(entry, "characters", label)))
    return Fandom(name=name, aliases=_strings(data, "aliases", where), media=data.get("media", ""),
                  meta=_strings(data, "meta", where), terms=_strings(data, "terms", where),
                  partial=bool(data.get("partial", False)), characters=characters,
                  relationships=relationships, timeline=timeline, events=events)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CanonDataError(f"{path.name}: cannot read canon data: {exc}") from exc


def load_canon_from(directory: Path) -> Canon:
    """Load every ``*.json`` fandom file of ``directory`` (with ``details/`` beside it)."""
    fandoms = []
    for path in sorted(directory.glob("*.json")):
        details_path = directory / "details" / path.name
        details = _read_json(details_path) if details_path.exists() else None
        fandoms.append(fandom_from_data(_read_json(path), details, where=path.name))
    return Canon(fandoms)


@lru_cache(maxsize=1)
def load_canon() -> Canon:
    """The canon shipped with the package, loaded once per process."""
    return load_canon_from(CANON_DIR)
