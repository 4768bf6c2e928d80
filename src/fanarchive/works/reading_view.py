"""What the reader found in a work, shaped for the work page.

The stored reading (:attr:`WorkReading.result`, a :meth:`Reading.to_dict`)
is plain JSON written by whatever version of the reader imported the work,
so :func:`present_reading` trusts no key: a missing or malformed field just
leaves its part of the page out. It is pure (no queries) so it can be tested
on a dict; :func:`reading_view_for` adds what only the database knows (which
tags exist and which are already on the work).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from fanarchive.tags.models import Tag, TagType, tag_key
from fanarchive.works.models import Work, WorkReading

#: Tag types in the order the page lists suggestions (AO3's order on a work).
SUGGESTION_TYPES = [t for t in TagType if t != TagType.MEDIA]
#: Speaker label for quotes the reader could not attribute.
UNATTRIBUTED = "Unattributed"
#: The reader's speaker name for a first-person narrator.
NARRATOR = "narrator"
#: Share bars are drawn with width classes in steps of this many percent.
SHARE_STEP = 5


def _mappings(data: Any, key: str) -> list[Mapping[str, Any]]:
    """``data[key]`` as a list of objects, skipping anything else."""
    value = data.get(key) if isinstance(data, Mapping) else None
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _count(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _percent(data: Mapping[str, Any], key: str) -> int:
    """A 0–1 confidence as a whole percentage (0 when absent)."""
    value = data.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return 0
    return round(min(max(float(value), 0.0), 1.0) * 100)


def _lines(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    return [line.strip() for line in value if isinstance(line, str) and line.strip()] if isinstance(value, list) else []


# --- placement ------------------------------------------------------------------


def episode_label(episode: Mapping[str, Any]) -> str:
    """'2x14 “Innocence”' for a stored episode (code or title alone when one is missing)."""
    code, title = _text(episode, "code"), _text(episode, "title")
    return " ".join(filter(None, [code, f"“{title}”" if title else ""]))


@dataclass(frozen=True)
class PlacementView:
    """Where in canon the reader places the work."""

    fandom: str
    after: str  # episode label, "" when unbounded
    before: str
    season: int | None
    explicit: bool
    confidence: int  # percent
    evidence: list[str]

    @property
    def sentence(self) -> str:
        """'Set after 2x14 “Innocence”, before 2x21 “Becoming, Part I” (season 2)'."""
        bounds = [f"after {self.after}" if self.after else "", f"before {self.before}" if self.before else ""]
        unbounded = f"in season {self.season}" if self.season else f"in {self.fandom} canon"
        said = ", ".join(filter(None, bounds)) or unbounded
        season = f" (season {self.season})" if self.season and (self.after or self.before) else ""
        return f"Set {said}{season}"


def present_placement(result: Mapping[str, Any]) -> PlacementView | None:
    placement = result.get("placement")
    if not isinstance(placement, Mapping) or not _text(placement, "fandom"):
        return None
    after, before = placement.get("after"), placement.get("before")
    season = placement.get("season")
    return PlacementView(
        fandom=_text(placement, "fandom"),
        after=episode_label(after) if isinstance(after, Mapping) else "",
        before=episode_label(before) if isinstance(before, Mapping) else "",
        season=season if isinstance(season, int) and not isinstance(season, bool) else None,
        explicit=placement.get("kind", "explicit") == "explicit",
        confidence=_percent(placement, "confidence"),
        evidence=_lines(placement, "evidence"),
    )


# --- dialogue share -----------------------------------------------------------


@dataclass(frozen=True)
class SpeakerShare:
    """One speaker's part of the dialogue."""

    name: str
    quotes: int
    words: int
    percent: int  # of every quoted word, rounded
    attributed: bool = True

    @property
    def percent_label(self) -> str:
        """"12%", or "<1%" for a speaker whose few words round to nothing."""
        return "<1%" if self.words and not self.percent else f"{self.percent}%"

    @property
    def bar_class(self) -> str:
        """Width class of the share bar (``share-0`` … ``share-100``; the CSP forbids inline widths)."""
        return f"share-{round(self.percent / SHARE_STEP) * SHARE_STEP}"


def _speech(result: Mapping[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """Quotes and words per speaker name ("" for unattributed).

    Counted from the quotes the way the reader counts ``words_spoken``; a
    reading stored without quotes falls back to the characters' own counts.
    """
    quotes: Counter[str] = Counter()
    words: Counter[str] = Counter()
    stored_quotes = _mappings(result, "quotes")
    if stored_quotes:
        for quote in stored_quotes:
            speaker = _text(quote, "speaker")
            quotes[speaker] += 1
            words[speaker] += len(_text(quote, "text").split())
    else:
        for character in _mappings(result, "characters"):
            if name := _text(character, "name"):
                quotes[name] += _count(character, "quotes")
                words[name] += _count(character, "words_spoken")
    return +quotes, words


def present_dialogue(result: Mapping[str, Any]) -> list[SpeakerShare]:
    """Every speaker with a quote, most words first; unattributed quotes last."""
    quotes, words = _speech(result)
    total = sum(words[name] for name in quotes)
    shares = [
        SpeakerShare(
            name=name.capitalize() if name == NARRATOR else (name or UNATTRIBUTED),
            quotes=count,
            words=words[name],
            percent=round(100 * words[name] / total) if total else 0,
            attributed=bool(name),
        )
        for name, count in quotes.items()
    ]
    return sorted(shares, key=lambda s: (not s.attributed, -s.words, -s.quotes, s.name.casefold()))


# --- characters and suggestions ---------------------------------------------------


@dataclass(frozen=True)
class CharacterView:
    name: str
    mentions: int


def present_characters(result: Mapping[str, Any], role: str) -> list[CharacterView]:
    """Characters of one role ("main" or "mentioned"), most mentioned first."""
    found = [
        CharacterView(_text(c, "name"), _count(c, "mentions"))
        for c in _mappings(result, "characters")
        if _text(c, "name") and c.get("role", "mentioned") == role
    ]
    return sorted(found, key=lambda c: (-c.mentions, c.name.casefold()))


@dataclass(frozen=True)
class KnownTag:
    """An archive tag a suggestion names: its page, and the keys it is known by (its own, its canonical's)."""

    url: str
    keys: frozenset[str]


#: Existing tags by (tag type, :func:`tag_key` of the name).
KnownTags = Mapping[tuple[str, str], KnownTag]


@dataclass(frozen=True)
class SuggestionView:
    name: str
    confidence: int  # percent
    evidence: list[str]
    declared: bool
    on_work: bool
    url: str  # the tag's page; "" when the archive has no such tag


@dataclass(frozen=True)
class SuggestionGroup:
    type: str
    label: str
    suggestions: list[SuggestionView]


def present_suggestions(
    result: Mapping[str, Any], work_tag_keys: Collection[str] = (), known: KnownTags | None = None
) -> list[SuggestionGroup]:
    """Suggestions grouped by tag type (archive order), most confident first in each group.

    ``work_tag_keys``: :func:`tag_key` of the work's tags and their canonical
    tags; ``known``: the archive's tags of the suggested types and names.
    """
    known = known or {}
    by_type: dict[str, list[SuggestionView]] = {}
    for item in _mappings(result, "suggestions"):
        name, tag_type = _text(item, "name"), _text(item, "type")
        if not name or tag_type not in TagType.values:
            continue
        key = tag_key(name)
        tag = known.get((tag_type, key))
        identities = {key} | (tag.keys if tag else set())
        by_type.setdefault(tag_type, []).append(
            SuggestionView(
                name=name,
                confidence=_percent(item, "confidence"),
                evidence=_lines(item, "evidence"),
                declared=item.get("declared") is True,
                on_work=not identities.isdisjoint(work_tag_keys),
                url=tag.url if tag else "",
            )
        )
    return [
        SuggestionGroup(tag_type, TagType(tag_type).label, sorted(by_type[tag_type], key=lambda s: -s.confidence))
        for tag_type in SUGGESTION_TYPES
        if tag_type in by_type
    ]


# --- the whole section ------------------------------------------------------------


@dataclass(frozen=True)
class ReadingView:
    """Everything the "What the reader found" section shows."""

    placement: PlacementView | None = None
    speakers: list[SpeakerShare] = field(default_factory=list)
    main_characters: list[CharacterView] = field(default_factory=list)
    mentioned_characters: list[CharacterView] = field(default_factory=list)
    suggestion_groups: list[SuggestionGroup] = field(default_factory=list)

    @property
    def quote_count(self) -> int:
        return sum(share.quotes for share in self.speakers)

    @property
    def is_empty(self) -> bool:
        return not (self.placement or self.speakers or self.main_characters
                    or self.mentioned_characters or self.suggestion_groups)  # fmt: skip


def present_reading(
    result: Any, work_tag_keys: Collection[str] = (), known: KnownTags | None = None
) -> ReadingView:
    """The page's view of a stored reading; anything missing or malformed is left out."""
    if not isinstance(result, Mapping):
        return ReadingView()
    return ReadingView(
        placement=present_placement(result),
        speakers=present_dialogue(result),
        main_characters=present_characters(result, "main"),
        mentioned_characters=present_characters(result, "mentioned"),
        suggestion_groups=present_suggestions(result, work_tag_keys, known),
    )


def _known_tag(tag: Tag) -> KnownTag:
    """A fetched tag (with its merger) as the presenter needs it."""
    return KnownTag(tag.get_absolute_url(), frozenset(filter(None, [tag.key, tag.merger.key if tag.merger else ""])))


def reading_view_for(work: Work) -> ReadingView | None:
    """The reader's findings for ``work``, or None when it has no stored reading (three queries)."""
    reading = WorkReading.objects.filter(work=work).only("result").first()
    if reading is None:
        return None
    names = [_text(item, "name") for item in _mappings(reading.result, "suggestions")]
    on_work = Tag.objects.filter(works=work).select_related("merger")
    work_tag_keys = {key for tag in on_work for key in _known_tag(tag).keys}
    suggested = Tag.objects.named(filter(None, names)).select_related("merger") if any(names) else []
    known = {(tag.type, tag.key): _known_tag(tag) for tag in suggested}
    return present_reading(reading.result, work_tag_keys, known)
