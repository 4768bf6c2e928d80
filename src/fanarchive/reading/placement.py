"""Where in canon a work is set: an open interval of the fandom's timeline.

:func:`place_in_canon` first reads what the author says (front matter notes,
the setting line, the summary and a short opening paragraph):

* "between 2.14 'Innocence' and 2.21 'Becoming, Part I'" → after 2x14,
  before 2x21;
* "after X", "post-X", "following X", "spoilers for X", "spoilers through X",
  "tag to X" → after X; "before X", "pre-X", "prior to X" → before X;
* "during X", "missing scene from X", "set in X" or a bare reference → the
  interval around X: after the entry before X, before the entry after X (X
  itself is under way, so it has neither fully happened nor not happened);
* seasons: "after season 3" → after 3x22; "set during season 4" → after
  3x22, before 5x01; "pre-series", "post-series";
* references: codes ("2x14", "2.14", "S02E14", "season 2 episode 14",
  "Book 3") and titles in any case or punctuation ("Becoming Part 1"; a
  multi-part title without its part means all parts).  Unquoted titles need
  a cue word before them and may not be a character's name ("after Angel"
  is about the character).

When the author says nothing it infers the place from the story: canon
``events`` whose keywords appear (Angelus active → after 2x14, before 2x22),
the first appearances of the characters present and the deaths of main
characters, adding constraints strongest first and skipping any that
contradict those already kept.

A stated place always wins over an inferred one.  Statements are
intersected in the order written; one that would empty the interval is
skipped.  Confidence: 0.9 for a stated interval with both ends, 0.8 for one
end, at most 0.6 for an inferred one (more for each canon event seen).

``season`` is the one season the interval can be in: an ``after`` that is a
season finale starts the next season, a ``before`` that is a season
premiere ends the previous one; None when the interval spans more (or
falls between two seasons).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from fanarchive.reading.canon import Canon, Fandom, normalise_label
from fanarchive.reading.model import Episode, Placement, Reading

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_NUM = r"(\d{1,2}|%s)" % "|".join(_NUMBER_WORDS)

_EPISODE_CODES = [
    re.compile(r"\bseason\s+%s\s*,?\s*(?:episode|ep\.?)\s+(\d{1,3})\b" % _NUM, re.I),
    re.compile(r"\b(?:episode|ep\.?)\s+(\d{1,3})\s+of\s+season\s+%s\b" % _NUM, re.I),
    re.compile(r"\bS(\d{1,2})\s*E(\d{1,3})\b", re.I),
    re.compile(r"(?<![\d.])(\d{1,2})[x.](\d{1,3})(?![\d.]*\d)"),
]
_NUMBERED_ENTRY = re.compile(r"\b(book|film|movie|series|volume)\s+(\d{1,2})\b", re.I)
_SEASON = re.compile(
    r"\b(?:season|series)\s+%s\b|\bS(\d{1,2})\b|\b(%s)\s+season\b|\b(\d)(?:st|nd|rd|th)\s+season\b"
    % (_NUM, "|".join(_ORDINALS)), re.I)
_SEASON_PAIR = re.compile(r"\b(?:seasons|series)\s+%s\s*(?:and|&|-|–|to|through)\s*%s\b" % (_NUM, _NUM), re.I)
_SERIES_BOUND = re.compile(
    r"\b(pre|post)[-\s]?(?:series|canon|show)\b|\b(before|after)\s+the\s+(?:series|show)\s+(?:starts|began|begins|ends|ended)\b"
    r"|\b(post)[-\s]?(?:finale)\b", re.I)
_CUES = [
    ("between", re.compile(r"\bbetween\b", re.I)),
    ("and", re.compile(r"\band\b|&", re.I)),
    ("after", re.compile(r"\b(?:after|post|following|since|spoilers?|through|thru|tag|coda|sequel|aftermath|"
                         r"up\s+to|end\s+of)\b", re.I)),
    ("before", re.compile(r"\b(?:before|pre|prior\s+to|leading\s+up\s+to|until|prequel)\b", re.I)),
    ("during", re.compile(r"\b(?:during|missing\s+scene|in|within|mid|set|episode|ep)\b", re.I)),
]
_QUOTE_MARKS = "\"“”'‘’«»"
_MAX_GAP = 40  # a cue further than this from a reference does not govern it


@dataclass(frozen=True)
class _Ref:
    """A span of the timeline named in a sentence: an entry, a multi-part title or a season."""

    start: int
    end: int
    first: int
    last: int
    quoted_or_coded: bool
    titled: bool = False  # names an entry by its title (not only by a number)


@dataclass(frozen=True)
class _Constraint:
    after: int | None  # index of the last entry that has happened
    before: int | None  # index of the first entry that has not
    weight: float
    evidence: str


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class _Titles:
    """One fandom's titles as a single case-insensitive pattern."""

    pattern: re.Pattern[str] | None
    spans: dict[str, tuple[int, int]]  # normalised title → (first, last) index
    names: frozenset[str]  # normalised character names (unquoted titles equal to these are ignored)


def _title_words_pattern(words: list[str]) -> str:
    parts = []
    for i, word in enumerate(words):
        if i and words[i - 1] == "part" and word.isdigit():
            roman = {"1": "i", "2": "ii", "3": "iii"}.get(word, word)
            english = {"1": "one", "2": "two", "3": "three"}.get(word, word)
            parts.append(r"(?:%s|%s|%s)" % (word, roman, english))
        elif word == "part":
            parts.append(r"(?:part)?")
        elif word == "and":
            parts.append(r"(?:and|&)")
        else:
            parts.append(re.escape(word))
    return r"[\W_]*".join(parts)


def _short_titles(titles: list[str]) -> dict[str, str]:
    """Short forms of long titles: after a colon or dash, or without a prefix most titles share."""
    variants: dict[str, str] = {}
    words = [t.split() for t in titles]
    prefix: list[str] = []
    for size in range(max((len(w) for w in words), default=0) - 1, 1, -1):
        heads = Counter(tuple(w[:size]) for w in words if len(w) > size)
        if heads and heads.most_common(1)[0][1] >= 3:
            prefix = list(heads.most_common(1)[0][0])
            break
    for title, split in zip(titles, words):
        if prefix and split[:len(prefix)] == prefix and len(split) > len(prefix):
            variants[" ".join(split[len(prefix):])] = title
        for sep in (": ", " – ", " - "):
            if sep in title:
                variants[title.rsplit(sep, 1)[1]] = title
    return {short: full for short, full in variants.items() if len(normalise_label(short)) >= 4}


@lru_cache(maxsize=64)
def _titles(fandom: Fandom) -> _Titles:
    spans: dict[str, tuple[int, int]] = {}
    for episode in fandom.timeline:
        key = normalise_label(episode.title)
        spans.setdefault(key, (episode.index, episode.index))
        spans.setdefault(key.replace(" part ", " "), (episode.index, episode.index))
        base = re.split(r" part \d+$", key)[0]
        if base != key:
            first, _ = spans.get(base, (episode.index, episode.index))
            spans[base] = (first, episode.index)
    for short, full in _short_titles([e.title for e in fandom.timeline]).items():
        spans.setdefault(normalise_label(short), spans[normalise_label(full)])
    keys = sorted(spans, key=len, reverse=True)
    alternatives = [_title_words_pattern(k.split()) for k in keys if k]
    pattern = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(alternatives), re.I) if alternatives else None
    names = frozenset(normalise_label(form) for c in fandom.characters for form in c.surface_forms)
    return _Titles(pattern, spans, names)


def _episode_index(fandom: Fandom, season: str, number: str) -> int | None:
    found = fandom.episode(f"{_number(season)}x{int(number)}")
    return found.index if found else None


def _number(word: str) -> int:
    """5, "five" or "fifth" as a number (0 when it is none of them)."""
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word.lower()) or _ORDINALS.get(word.lower()) or 0


def _season_span(fandom: Fandom, season: int) -> tuple[int, int] | None:
    """(first, last) timeline index of a season's entries, or None."""
    indexes = [e.index for e in fandom.timeline if e.season == season]
    return (indexes[0], indexes[-1]) if indexes else None


_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def _references(sentence: str, fandom: Fandom) -> list[_Ref]:
    """Every timeline reference in ``sentence``, in order, without overlaps.

    ``sentence`` must have had its inner apostrophes removed ("What's" →
    "Whats"), as titles are matched in that form.
    """
    refs: list[_Ref] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, first: int, last: int, strong: bool, titled: bool = False) -> None:
        taken.append((start, end))
        refs.append(_Ref(start, end, first, last, strong, titled))

    for pattern in _EPISODE_CODES:
        for m in pattern.finditer(sentence):
            season, number = (m.group(2), m.group(1)) if "of" in m.group(0).lower().split() else m.groups()
            index = _episode_index(fandom, season, number)
            if index is not None and free(*m.span()):
                add(m.start(), m.end(), index, index, True)
    for m in _NUMBERED_ENTRY.finditer(sentence):
        found = fandom.episode(f"{m.group(1).title()} {int(m.group(2))}")
        if found and free(*m.span()):
            add(m.start(), m.end(), found.index, found.index, True)
    for m in _SEASON_PAIR.finditer(sentence):  # "between seasons 2 and 3", "seasons 2-3"
        first, second = (_season_span(fandom, _number(g)) for g in m.groups())
        if first and second and free(*m.span()):
            if "between" in sentence[max(0, m.start() - 20):m.start()].lower():
                add(m.start(1), m.end(1), *first, True)
                add(m.start(2), m.end(2), *second, True)
            else:
                add(m.start(), m.end(), first[0], second[1], True)
    for m in _SEASON.finditer(sentence):
        span = _season_span(fandom, _number(next(g for g in m.groups() if g)))
        if span and free(*m.span()):
            add(m.start(), m.end(), span[0], span[1], True)
    titles = _titles(fandom)
    for m in titles.pattern.finditer(sentence) if titles.pattern else ():
        key = normalise_label(m.group())
        span = titles.spans.get(key) or titles.spans.get(key.replace(" part ", " "))
        if span is None or not free(*m.span()):
            continue
        before = sentence[:m.start()].rstrip()
        quoted = m.start() > 0 and sentence[m.start() - 1] in _QUOTE_MARKS
        code = next((i for i, r in enumerate(refs) if r.first == r.last and 0 <= m.start() - r.end <= 3), None)
        if code is not None:  # "2.14 'Innocence'": one reference, now known by its title too
            refs[code] = replace(refs[code], titled=True)
        elif quoted:
            add(m.start(), m.end(), span[0], span[1], True, True)
        elif m.group()[0].isupper() and key not in titles.names and before:
            add(m.start(), m.end(), span[0], span[1], False, True)
    refs.sort(key=lambda r: r.start)
    return refs


def _cue(gap: str) -> str | None:
    """The relation word closest to a reference in the text before it."""
    best: tuple[int, str] | None = None
    for name, pattern in _CUES:
        for m in pattern.finditer(gap):
            if best is None or m.end() > best[0]:
                best = (m.end(), name)
    return best[1] if best else None


def _constraints(sentence: str, fandom: Fandom) -> list[_Constraint]:
    """What one sentence says about the story's place on ``fandom``'s timeline."""
    found: list[_Constraint] = []
    last = len(fandom.timeline) - 1
    for m in _SERIES_BOUND.finditer(sentence):
        word = (m.group(1) or m.group(2) or m.group(3)).lower()
        if word in ("pre", "before"):
            found.append(_Constraint(None, 0, 1.0, sentence))
        else:
            found.append(_Constraint(last, None, 1.0, sentence))
    evidence, sentence = sentence, _INNER_APOSTROPHE.sub("", sentence)
    previous_end, previous_cue = 0, None
    for ref in _references(sentence, fandom):
        gap = sentence[max(previous_end, ref.start - _MAX_GAP):ref.start]
        cue = _cue(gap)
        if cue == "and" and previous_cue == "between":
            relation = "before"
        elif cue == "between":
            relation = "after"
        elif cue in ("after", "before", "during"):
            relation = cue
        elif ref.quoted_or_coded:
            relation = "during"
        else:
            relation = None  # an unquoted title with no cue: probably not a title
        previous_end, previous_cue = ref.end, cue
        if relation == "after":
            found.append(_Constraint(ref.last, None, 1.0, evidence))
        elif relation == "before":
            found.append(_Constraint(None, ref.first, 1.0, evidence))
        elif relation == "during":
            found.append(_Constraint(ref.first - 1 if ref.first > 0 else None,
                                     ref.last + 1 if ref.last < last else None, 1.0, evidence))
    return found


# ---------------------------------------------------------------- combining


def _combine(constraints: Iterable[_Constraint]) -> tuple[int | None, int | None, list[str], int]:
    """Intersect constraints in order, skipping any that would empty the interval."""
    after: int | None = None
    before: int | None = None
    evidence: list[str] = []
    used = 0
    for c in constraints:
        new_after = c.after if after is None else (after if c.after is None else max(after, c.after))
        new_before = c.before if before is None else (before if c.before is None else min(before, c.before))
        if new_after is not None and new_before is not None and new_after >= new_before:
            continue
        after, before = new_after, new_before
        used += 1
        if c.evidence not in evidence:
            evidence.append(c.evidence)
    return after, before, evidence, used


def _season(timeline: list[Episode], after: Episode | None, before: Episode | None) -> int | None:
    """The single season the interval lies in, or None."""
    if after is None or before is None or after.season is None or before.season is None:
        return None
    low, high = after.season, before.season
    if after.index + 1 < len(timeline) and timeline[after.index + 1].season != after.season:
        low += 1  # after a season finale
    if before.index > 0 and timeline[before.index - 1].season != before.season:
        high -= 1  # before a season premiere
    return low if low == high else None


def _placement(fandom: Fandom, after: int | None, before: int | None, kind: str, confidence: float,
               evidence: list[str]) -> Placement:
    timeline = fandom.timeline
    first = timeline[after] if after is not None else None
    last = timeline[before] if before is not None else None
    return Placement(fandom=fandom.name, after=first, before=last, season=_season(timeline, first, last),
                     kind=kind, confidence=confidence, evidence=evidence)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_PLACEMENT_HINT = re.compile(
    r"\b(?:set|after|before|during|between|spoilers?|post|pre|season|series|episode|missing\s+scene|"
    r"takes\s+place|tag|coda|timeline|\d+x\d+|S\d+E\d+)", re.I)


def _statements(reading: Reading) -> list[str]:
    """Sentences in which the author may say where the story is set."""
    front = reading.front
    texts = [*front.setting, *front.notes, front.summary, *front.end_notes]
    if reading.chapters:
        first = reading.chapters[0]
        texts += [first.summary, first.notes_begin]
        for paragraph in first.paragraphs[:2]:  # "Set after Chosen." as the opening line
            if len(paragraph.text.split()) <= 40:
                texts.append(paragraph.text)
    sentences = []
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ""):
            sentence = sentence.strip()
            if sentence and _PLACEMENT_HINT.search(sentence):
                sentences.append(sentence)
    return sentences


def names_titles(reading: Reading, fandom: Fandom) -> bool:
    """True when the author's statements name one of ``fandom``'s entries by its title."""
    return bool(fandom.timeline) and any(
        ref.titled for sentence in _statements(reading)
        for ref in _references(_INNER_APOSTROPHE.sub("", sentence), fandom))


def explicit_placement(reading: Reading, fandom: Fandom) -> Placement | None:
    """The place the author states on ``fandom``'s timeline, or None."""
    if not fandom.timeline:
        return None
    constraints = [c for s in _statements(reading) for c in _constraints(s, fandom)]
    after, before, evidence, used = _combine(constraints)
    if not used or (after is None and before is None):
        return None
    confidence = 0.9 if after is not None and before is not None else 0.8
    return _placement(fandom, after, before, "explicit", confidence, evidence)


def _sentence_around(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("? ", 0, pos), text.rfind("! ", 0, pos))
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos), text.find("? ", pos), text.find("! ", pos)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start + 1 if start >= 0 else 0:end].strip()


def _find_keyword(text: str, lowered: str, keyword: str) -> int:
    """Position of ``keyword`` as whole words (case-sensitive if it has a capital), or -1."""
    haystack, needle = (text, keyword) if any(ch.isupper() for ch in keyword) else (lowered, keyword.lower())
    pos = haystack.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if (pos == 0 or not haystack[pos - 1].isalnum()) and (end == len(haystack) or not haystack[end].isalnum()):
            return pos
        pos = haystack.find(needle, pos + 1)
    return -1


def inferred_placement(reading: Reading, fandom: Fandom) -> Placement | None:
    """The place the story's content implies on ``fandom``'s timeline, or None.

    Needs ``reading.characters`` (from :func:`~fanarchive.reading.characters.find_characters`).
    Returns None when nothing narrows the timeline beyond its first entry.
    """
    if not fandom.timeline:
        return None
    index = {e.code: e.index for e in fandom.timeline}
    present = {c.name: c for c in reading.characters if c.fandom == fandom.name}
    text = "\n".join(p.text for chapter in reading.chapters for p in chapter.paragraphs)
    lowered = text.lower()
    constraints: list[_Constraint] = []
    for event in fandom.events:
        if not all(name in present for name in event.characters):
            continue
        for keyword in event.keywords:
            pos = _find_keyword(text, lowered, keyword)
            if pos >= 0:
                before = index[event.until] if event.until else None
                constraints.append(_Constraint(index[event.code], before, 0.7, _sentence_around(text, pos)))
                break
    for name, found in present.items():
        character = fandom.character(name)
        if character and character.first and index[character.first] > 0:
            weight = 0.5 if found.role == "main" else 0.4
            constraints.append(_Constraint(index[character.first], None, weight, f"{name} appears"))
        if character and character.dies and found.role == "main":
            constraints.append(_Constraint(None, index[character.dies], 0.3, f"{name} is alive"))
    constraints.sort(key=lambda c: -c.weight)
    after, before, evidence, used = _combine(constraints)
    if not used or (not after and before is None):
        return None
    events = sum(1 for c in constraints if c.weight == 0.7 and c.evidence in evidence)
    confidence = min(0.6, 0.2 + 0.15 * events + 0.05 * (used - events))
    return _placement(fandom, after, before, "inferred", round(confidence, 2), evidence)


def _candidate_fandoms(reading: Reading, canon: Canon) -> list[Fandom]:
    """Declared fandoms first, then the fandoms of the characters found, most mentioned first."""
    names = [f.name for f in map(canon.fandom, reading.front.fandoms) if f]
    weight: dict[str, int] = {}
    for character in reading.characters:
        if character.fandom:
            weight[character.fandom] = weight.get(character.fandom, 0) + character.mentions
    names += sorted(weight, key=lambda n: -weight[n])
    return [canon.fandoms[n] for n in dict.fromkeys(names) if n in canon.fandoms]


def place_in_canon(reading: Reading, canon: Canon) -> None:
    """Fill ``reading.placement``: stated by the author if possible, else inferred (or None)."""
    candidates = [f for f in _candidate_fandoms(reading, canon) if f.timeline]
    for fandom in candidates:
        found = explicit_placement(reading, fandom)
        if found:
            reading.placement = found
            return
    for fandom in candidates:
        found = inferred_placement(reading, fandom)
        if found:
            reading.placement = found
            return
    reading.placement = None
