"""Recognise what fans write about a story, as opposed to the story itself.

Fans label their front matter loosely ("A/N:", "Pairing(s) -", "**Rating:**")
and often leave notes unlabelled ("Set sometime after 2.14, enjoy!"). This
module knows those labels and phrasings; :mod:`.structure` decides where they
may appear. Every pattern here is anchored or made of fixed alternatives so
matching stays linear in the input's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import FrontMatter

# Label as written (lower-case, inner spaces collapsed) → field it fills.
# "note" fields go to FrontMatter.notes; "skip" labels are recognised as
# front matter but not kept (AO3 stats, word counts).
_LABEL_FIELDS = {
    "a/n": "notes", "an": "notes", "a.n.": "notes", "a.n": "notes",
    "author's note": "notes", "author's notes": "notes", "authors note": "notes",
    "authors notes": "notes", "author note": "notes", "author notes": "notes",
    "authors' note": "notes", "note": "notes", "notes": "notes",
    "beta": "notes", "betas": "notes", "beta'd by": "notes", "betaed by": "notes",
    "beta reader": "notes", "dedication": "notes", "dedicated to": "notes",
    "prompt": "notes",
    "end notes": "end_notes", "end note": "end_notes",
    "disclaimer": "disclaimer",
    "summary": "summary",
    "rating": "rating", "rated": "rating",
    "pairing": "relationships", "pairings": "relationships",
    "relationship": "relationships", "relationships": "relationships",
    "ship": "relationships", "ships": "relationships",
    "warning": "warnings", "warnings": "warnings",
    "archive warning": "warnings", "archive warnings": "warnings",
    "fandom": "fandoms", "fandoms": "fandoms",
    "character": "characters", "characters": "characters",
    "title": "title",
    "author": "author", "written by": "author",
    "tags": "freeforms", "additional tags": "freeforms", "freeform": "freeforms",
    "freeforms": "freeforms", "genre": "freeforms", "genres": "freeforms",
    "category": "categories", "categories": "categories",
    "language": "language",
    "spoilers": "setting", "spoiler": "setting", "timeline": "setting", "setting": "setting",
    "word count": "skip", "words": "skip", "status": "skip", "stats": "skip",
    "series": "skip", "collections": "skip", "chapters": "skip", "published": "skip",
    "updated": "skip", "completed": "skip", "hits": "skip", "kudos": "skip", "bookmarks": "skip",
    "reviews": "skip", "favs": "skip", "follows": "skip",
}
_LIST_FIELDS = frozenset(
    {"warnings", "categories", "fandoms", "relationships", "characters", "freeforms"}
)
NOTE_FIELDS = frozenset({"notes", "end_notes"})
_LABEL_RE = re.compile(
    r"[\s(\[*_~]*(?P<label>"
    + "|".join(
        sorted((re.escape(label).replace(r"\ ", r"\s+") for label in _LABEL_FIELDS), key=len, reverse=True)
    )
    + r")[\s*_]*(?:\(s\))?[\s*_]*(?P<sep>:|：|\s[-–—](?=\s|$))",
    re.IGNORECASE,
)
_LABEL_PREFIX_CHARS = 80  # labels sit at the very start of a line
_BYLINE_RE = re.compile(r"\s*(?:by|written\s+by)\s+(?P<name>\S.{0,60})$", re.IGNORECASE)
_NONE_VALUES = frozenset({"none", "n/a", "na", "nothing", "no", "-", "none really", "not really"})
_INITIAL_RE = re.compile(r"(?:^|\s)\w\.$")
_LIST_SPLIT_RE = re.compile(r"[,;]|\s\|\s")  # items are stripped after splitting

# Unlabelled paragraphs before the story that talk about the work.
_NOTE_LIKE_RE = re.compile(
    r"(?-i:\bA\.?U\.?\b)|\b(?:"
    r"this\s+(?:fic|ficlet|story|one-?shot|drabble|chapter|piece|work|is\s+set|takes\s+place)"
    r"|(?:it|this|story|fic)\s+(?:is|'s|was)\s+set|it's\s+set|takes\s+place"
    r"|fics?|fanfic\w*|ficlet|one-?shot|drabble|alternate\s+universe|canon\w*"
    r"|I\s+(?:wrote\s+this|imagined?\s+this|don't\s+own|do\s+not\s+own|was\s+inspired)"
    r"|reviews?|reviewers?|beta(?:'d|ed|-read)?|feedback|kudos"
    r"|hope\s+you\s+(?:like|enjoy)|please\s+(?:review|enjoy|be\s+gentle)|let\s+me\s+know"
    r"|my\s+first\s+(?:fic|story|attempt)|enjoy(?=!)"
    r"|set\s+(?:between|after|before|during|post|pre|in\s+season)"
    r"|spoilers?|season\s+\d+|episode\s+\d+|\d{1,2}x\d{1,2}|s\d{1,2}e\d{1,2}"
    r"|\d{1,2}\.\d{1,2}\s+[\"“](?=\w)"  # an episode code before its title: 2.14 "Innocence"
    r"|written\s+for|dedicated\s+to|interpretation|inspired\s+by"
    r"|belongs?\s+to|no\s+profit|not\s+mine"
    r")\b",
    re.IGNORECASE,
)
_FFNET_STATUS = frozenset({"complete", "in-progress", "in progress"})
_FFNET_GENRE_RE = re.compile(
    r"Hurt/Comfort|Sci-Fi|Adventure|Angst|Crime|Drama|Family|Fantasy|Friendship|General|Horror|Humor"
    r"|Mystery|Parody|Poetry|Romance|Spiritual|Supernatural|Suspense|Tragedy|Western",
    re.IGNORECASE,
)
_BRACKETED_RE = re.compile(r"\[([^\[\]]{1,300})\]")
_MAX_NOTE_CHARS = 4000
# Unlabelled disclaimers ("Buffy belongs to Joss, not me.").
_DISCLAIMER_LIKE_RE = re.compile(
    r"\b(?:I\s+(?:don't|don’t|do\s+not)\s+own|own\s+nothing|belongs?\s+to|not\s+mine"
    r"|no\s+(?:profit|money)\s+is\s+(?:being\s+)?made|no\s+copyright\s+infringement)\b",
    re.IGNORECASE,
)
_MAX_DISCLAIMER_CHARS = 400
# Paragraphs at the end of a story that speak to the reader.
_END_NOTE_LIKE_RE = re.compile(
    r"\b(?:please\s+review|review\s+please|read\s+and\s+review|R\s*&\s*R|r/r"
    r"|thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+reading|hope\s+you\s+(?:all\s+)?(?:enjoyed|liked)"
    r"|let\s+me\s+know\s+what\s+you\s+think|reviews?\s+(?:are|is)\s+(?:love|appreciated|welcome)"
    r"|leave\s+a\s+(?:review|comment)|kudos\s+and\s+comments"
    r"|comments?\s+(?:are|is)\s+(?:love|appreciated|welcome)|feedback\s+is\s+(?:always\s+)?appreciated"
    r")\b",
    re.IGNORECASE,
)
_SETTING_RE = re.compile(
    r"\b(?:set|sets|takes\s+place|between|after|before|during|season|seasons|episodes?"
    r"|timeline|spoilers?|s\d{1,2}(?:e\d{1,2})?|\d{1,2}x\d{1,2}|\d{1,2}\.\d{1,2})\b"
    r"|\b(?:post|pre)-",
    re.IGNORECASE,
)
_CONTINUITY_RE = re.compile(
    r"(?-i:\bA\.?U\.?s?\b)|\b(?:A/U|altern\w*\s+universe|canon(?:[\s-]+(?:compliant|compliance|divergen\w*))?"
    r"|divergen\w+|missing\s+(?:scenes?|moments?)|fix-?it|what\s+if|non-?canon|post-canon)\b",
    re.IGNORECASE,
)
# Starts only at the first mark of a run, and never gives marks back: linear on "!!!!…".
_SENTENCE_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"”’')\]]*+\s+")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "pt", "ep", "no", "vol"})


def match_label(line: str) -> tuple[str, str] | None:
    """``(field, value)`` when ``line`` starts with a front-matter label."""
    match = _LABEL_RE.match(line[:_LABEL_PREFIX_CHARS].replace("’", "'"))
    if match is None:
        return None
    label = " ".join(match["label"].lower().split())
    value = line[match.end():].strip()
    if line.lstrip().startswith("(") and value.endswith(")"):
        value = value[:-1].rstrip()
    field = _LABEL_FIELDS[label]
    if field == "setting":
        value = f"{match['label'].strip()}: {value}" if value else ""
    return field, value


def parse_labelled(lines: list[str]) -> list[tuple[str, str]] | None:
    """Read a block whose first line is labelled; later unlabelled lines continue the value.

    Returns ``None`` when the first line has no label.
    """
    if not lines:
        return None
    first = match_label(lines[0])
    if first is None:
        return None
    fields = [first]
    for line in lines[1:]:
        labelled = match_label(line)
        if labelled is not None:
            fields.append(labelled)
        elif line.strip():
            field, value = fields[-1]
            fields[-1] = (field, f"{value} {line.strip()}" if value else line.strip())
    return fields


def byline(line: str) -> str | None:
    """The author's name in a line like "by Somebody", else None."""
    match = _BYLINE_RE.match(line)
    return match["name"].strip() if match else None


def is_note_like(text: str) -> bool:
    """True for a paragraph that talks about the work rather than telling it."""
    if len(text) > _MAX_NOTE_CHARS:
        return False  # a note this long would be a story of its own
    stripped = text.lstrip()
    if not stripped or stripped[0] in "\"“‘'«":
        return False  # dialogue is story
    return _NOTE_LIKE_RE.search(text) is not None


def is_disclaimer_like(text: str) -> bool:
    """True for a short unlabelled disclaimer ("I don't own Buffy.")."""
    return len(text) <= _MAX_DISCLAIMER_CHARS and _DISCLAIMER_LIKE_RE.search(text) is not None


def is_end_note_like(text: str) -> bool:
    """True for a closing paragraph addressed to readers ("Please review!")."""
    return len(text) <= _MAX_NOTE_CHARS and _END_NOTE_LIKE_RE.search(text) is not None


def split_items(value: str) -> list[str]:
    """Split a declared list ("Spike/Buffy, Giles & Willow") into items; "none" → []."""
    items = []
    for item in _LIST_SPLIT_RE.split(value.replace("\n", ",")):
        item = item.strip()
        if item.endswith(".") and not _INITIAL_RE.search(item):
            item = item.rstrip(".").strip()  # a sentence's full stop, not "Buffy S."
        if item and item.lower() not in _NONE_VALUES:
            items.append(item)
    return items


def apply_field(front: FrontMatter, field: str, value: str | list[str]) -> None:
    """Store a labelled value in ``front``: lists are split, notes appended, text kept."""
    if field == "skip":
        return
    if field in _LIST_FIELDS:
        items = value if isinstance(value, list) else split_items(value)
        getattr(front, field).extend(item for item in items if item not in getattr(front, field))
        return
    text = value if isinstance(value, str) else "\n\n".join(value)
    if not text:
        return
    if field in NOTE_FIELDS or field == "setting":
        getattr(front, field).append(text)
    elif field == "rating" and " - " in text:
        _apply_ffnet_stats(front, text)
    elif field == "rating":
        front.rating = front.rating or text
    elif field in {"disclaimer", "summary"} and getattr(front, field):
        setattr(front, field, f"{getattr(front, field)}\n\n{text}")
    else:
        setattr(front, field, text)


def _apply_ffnet_stats(front: FrontMatter, line: str) -> None:
    """Read fanfiction.net's story line: "Fiction T - English - Romance/Angst - [Buffy S., Spike] - Words: 5,234".

    Segments are rating, language, genres and characters (a bracketed
    group is a pairing); "Key: value" statistics and status are skipped.
    """
    segments = [segment.strip() for segment in line.split(" - ")]
    front.rating = front.rating or segments[0].removeprefix("Fiction").strip()
    for position, segment in enumerate(segments[1:], start=1):
        if ":" in segment or segment.lower() in _FFNET_STATUS or not segment:
            continue
        genres = _FFNET_GENRE_RE.findall(segment)
        if genres and "/".join(genres).lower() == segment.lower():
            front.freeforms.extend(genre for genre in genres if genre not in front.freeforms)
        elif position == 1 and segment.isalpha():
            front.language = front.language or segment
        else:
            _apply_ffnet_characters(front, segment)


def _apply_ffnet_characters(front: FrontMatter, segment: str) -> None:
    """"[Buffy S., Spike] Willow R." → pairing Buffy S./Spike and three characters."""
    for pairing in _BRACKETED_RE.findall(segment):
        names = split_items(pairing)
        if len(names) > 1 and "/".join(names) not in front.relationships:
            front.relationships.append("/".join(names))
    for name in split_items(segment.replace("[", ",").replace("]", ",")):
        if name not in front.characters:
            front.characters.append(name)


def sentences(text: str) -> list[str]:
    """Split prose into sentences (keeps "2.14" and "Mr." intact)."""
    found, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        before = text[start:match.start()].rsplit(None, 1)
        if before and before[-1].lower().rstrip(".") in _ABBREVIATIONS:
            continue
        found.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        found.append(tail)
    return [sentence for sentence in found if sentence]


def extract_statements(front: FrontMatter, more_notes: Iterable[str] = ()) -> None:
    """Fill ``front.setting`` and ``front.continuity`` with verbatim sentences from the notes.

    ``more_notes`` are other notes about the whole work (the first chapter's
    opening note, where multi-chapter works usually put it).
    """
    sources = [*front.notes, front.summary, *more_notes]
    for source in sources:
        for sentence in sentences(source):
            if _SETTING_RE.search(sentence) and sentence not in front.setting:
                front.setting.append(sentence)
            if _CONTINUITY_RE.search(sentence) and sentence not in front.continuity:
                front.continuity.append(sentence)
    for tag in front.freeforms:
        if _CONTINUITY_RE.search(tag) and tag not in front.continuity:
            front.continuity.append(tag)
