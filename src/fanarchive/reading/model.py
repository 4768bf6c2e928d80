"""Typed result of reading one fan work.

These dataclasses are the reader's whole public vocabulary: the archive's
importer, the ``fanarchive read`` report and the benchmarks all consume them.
They are plain data (JSON-serialisable through :meth:`Reading.to_dict`) so a
reading can be stored beside a work and shown later without re-reading.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


class ReaderError(ValueError):
    """The input cannot be read as a work (binary, empty, too large...).

    The message is meant for people: it says what is wrong with the input.
    """


@dataclass
class Paragraph:
    """One paragraph of story text.

    ``text`` is plain text (what dialogue and character analysis read);
    ``html`` is the same paragraph as inline HTML (``<em>``, ``<strong>`` …
    kept from Markdown or HTML input, everything escaped for plain text).
    ``scene_break_before`` marks a scene break (``***``, ``~~~``, ``oOo``, a
    rule …) between this paragraph and the previous one.
    """

    text: str
    html: str
    scene_break_before: bool = False


@dataclass
class Chapter:
    """A chapter of the story, with the notes an author put around it."""

    number: int
    title: str = ""
    summary: str = ""
    notes_begin: str = ""
    notes_end: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    word_count: int = 0


@dataclass
class FrontMatter:
    """Everything the author wrote about the story rather than the story.

    Declared fields hold what the author stated, verbatim but split into
    items ("Pairing: Spike/Buffy, Giles & Willow" → two relationships).
    ``notes`` are the author's notes before the story, ``end_notes`` after it.
    ``setting`` holds timeline statements ("set between 2.14 and 2.21"),
    ``continuity`` AU / canon-compliance statements, both verbatim.
    """

    title: str = ""
    author: str = ""
    disclaimer: str = ""
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    setting: list[str] = field(default_factory=list)
    continuity: list[str] = field(default_factory=list)


@dataclass
class Quote:
    """One quotation in the story and who says it.

    ``chapter`` and ``paragraph`` index into :attr:`Reading.chapters`
    (0-based); ``start``/``end`` are character offsets in that paragraph's
    ``text`` (for a quote spanning paragraphs, the first paragraph's).
    ``speaker`` and ``addressee`` are canonical character names when the
    character is known to the canon data, else the name as written.
    ``method`` says how the speaker was found: ``explicit`` ("Spike asks"),
    ``pronoun`` ("he tells her", resolved), ``turn-taking``, ``context`` or
    ``unknown``.
    """

    chapter: int
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    addressee: str | None = None
    method: str = "unknown"
    confidence: float = 0.0


@dataclass
class Character:
    """A character found in the story, aliases resolved.

    ``aliases`` counts each surface form seen ("Slayer": 5, "Buffy": 12).
    ``role`` is ``main`` or ``mentioned``, from prominence (mentions, speech
    and point of view together).
    """

    name: str
    fandom: str = ""
    aliases: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    quotes: int = 0
    words_spoken: int = 0
    role: Literal["main", "mentioned"] = "mentioned"


@dataclass
class Narration:
    """Point of view, grammatical person and tense of the narration."""

    pov_character: str | None = None
    person: Literal["first", "second", "third", "unknown"] = "unknown"
    tense: Literal["past", "present", "unknown"] = "unknown"


@dataclass
class Suggestion:
    """A tag the reader proposes, with why.

    ``type`` is one of rating, warning, category, fandom, relationship,
    character, freeform (the archive's tag types). ``evidence`` holds the
    lines of the work that led to it, so an author or wrangler can judge.
    ``declared`` is true when the author stated the tag in front matter.
    """

    type: str
    name: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    declared: bool = False


@dataclass
class Episode:
    """One entry of a canon timeline (an episode, book or film)."""

    index: int  # position on the fandom's timeline, 0-based
    code: str  # "2x14", "Book 3", "Film 2"
    title: str
    season: int | None = None


@dataclass
class Placement:
    """Where in canon the work is set: an open interval of the timeline.

    ``after`` is the last canon entry that has happened, ``before`` the first
    that has not; either may be None when unbounded. ``kind`` says whether
    the author stated it (``explicit``) or it was inferred (``inferred``).
    """

    fandom: str
    after: Episode | None = None
    before: Episode | None = None
    season: int | None = None
    kind: Literal["explicit", "inferred"] = "explicit"
    confidence: float = 0.0
    evidence: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """The whole structured reading of one work."""

    front: FrontMatter
    chapters: list[Chapter]
    source_format: Literal["text", "markdown", "html"] = "text"
    encoding: str = "utf-8"
    repaired_mojibake: bool = False
    word_count: int = 0
    quotes: list[Quote] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    narration: Narration = field(default_factory=Narration)
    suggestions: list[Suggestion] = field(default_factory=list)
    placement: Placement | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reading as JSON-ready plain data."""
        return asdict(self)

    def suggestions_of(self, tag_type: str) -> list[Suggestion]:
        """Suggestions of one tag type, most confident first."""
        found = [s for s in self.suggestions if s.type == tag_type]
        return sorted(found, key=lambda s: -s.confidence)
