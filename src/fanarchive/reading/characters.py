"""Who is in the story, which fandom it belongs to, and how it is narrated.

:func:`find_characters` finds every mention of a canon character (by name,
alias or a contextual reference such as "your honey"), decides the fandoms in
play, ranks characters as ``main`` or ``mentioned`` and describes the
narration (person, tense, point-of-view character).  :func:`build_cast`
hands the result to quotation attribution, and :func:`update_speech` folds
the attributed quotes back into the characters.  :func:`find_fandoms` gives
the fandom decision with its evidence, for tag suggestions.

Contextual references: "your/my/her/his" + a partner word ("honey",
"boyfriend", "my girl") inside a quotation belongs to the addressee or the
speaker, in narration to the last character of that gender seen; it counts
as a mention of that character's partner at the story's place in canon (the
relationship ``from``/``until`` codes of the canon details), so in a Buffy
story set after 2x14 "your honey", said to Buffy, is Angel.

Names are matched case-sensitively as whole words in one forward pass per
paragraph: a regular expression jumps from one capitalised word to the next
and a dictionary keyed by that word says which aliases may start there, so
the cost grows with the text, not with the number of known names.  Aliases
with no capital letter ("the detective") are descriptions, not names: they
are never counted as mentions but are offered to attribution as epithets.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from fanarchive.reading.canon import Canon, CanonCharacter, Fandom, bare_name
from fanarchive.reading.dialogue import NARRATOR, Cast, find_quotations
from fanarchive.reading.model import Character, Narration, Placement, Reading
from fanarchive.reading.patterns import ascii_fold, caseless, word_start, words_starting_with
from fanarchive.reading.placement import explicit_placement, names_titles

# ---------------------------------------------------------------- name matching


@dataclass(frozen=True)
class _Target:
    """What one surface form may stand for: a character, or a fandom term."""

    fandom: str
    character: CanonCharacter | None  # None for a term
    weak: bool = False
    leading: bool = True  # among the first characters the fandom lists (its leads)


@dataclass(frozen=True)
class _Form:
    """A surface form keyed by its first capitalised word."""

    label: str  # the alias as written in the canon data
    prefix: str  # lower-case words before the key word ("the ")
    rest: str  # text after the key word (" Summers")
    targets: tuple[_Target, ...]

    @property
    def length(self) -> int:
        return len(self.prefix) + len(self.rest)


_KEY_WORD = re.compile(r"\w+")
_NEXT_WORD = re.compile(r"\W{1,3}(\w+)")
_LEADS = 12  # canon files list characters most important first


class _Matcher:
    """Finds every known name and term in a text in one left-to-right pass.

    ``index`` maps the first capitalised word of each form to its forms,
    grouped by the word that follows it ("" when none), so a common first
    word such as "The" costs one look-up of the next word, not one
    comparison per form.
    """

    def __init__(self, canon: Canon) -> None:
        targets: dict[str, list[_Target]] = {}
        for fandom in canon.fandoms.values():
            for rank, character in enumerate(fandom.characters):
                for form in character.surface_forms:
                    targets.setdefault(form, []).append(
                        _Target(fandom.name, character, form in character.weak, rank < _LEADS))
            for term in fandom.terms:
                targets.setdefault(term, []).append(_Target(fandom.name, None))
        self.index: dict[str, dict[str, list[_Form]]] = {}
        for label, found in targets.items():
            for variant in _variants(label):
                self._add(variant, label, tuple(found))
        for groups in self.index.values():
            for forms in groups.values():
                forms.sort(key=lambda f: -f.length)
        starts = sorted({key[0] for key in self.index})
        self.candidates = re.compile(words_starting_with(starts)) if starts else None

    def _add(self, variant: str, label: str, targets: tuple[_Target, ...]) -> None:
        key = next((m for m in _KEY_WORD.finditer(variant) if m.group()[0].isupper()), None)
        if key is None:  # no capital letter: a description, not a name
            return
        prefix, rest = variant[: key.start()], variant[key.end():]
        following = _NEXT_WORD.match(rest)
        forms = self.index.setdefault(key.group(), {}).setdefault(following.group(1) if following else "", [])
        if not any(f.prefix == prefix and f.rest == rest for f in forms):
            forms.append(_Form(label, prefix, rest, targets))

    def scan(self, text: str) -> Iterator[tuple[int, int, _Form]]:
        """(start, end, form) for each name or term in ``text``, longest first, never overlapping."""
        if self.candidates is None:
            return
        taken = 0
        for match in self.candidates.finditer(text):
            start, end = match.span()
            groups = self.index.get(match.group())
            if groups is None or start < taken:
                continue
            forms = groups.get("", [])
            if len(groups) > 1 or not forms:
                following = _NEXT_WORD.match(text, end)
                if following and following.group(1) in groups:
                    forms = groups[following.group(1)] + forms
            for form in forms:
                begin, stop = start - len(form.prefix), end + len(form.rest)
                if begin < taken or (form.prefix and not text.startswith(form.prefix, begin)):
                    continue
                if form.rest and not text.startswith(form.rest, end):
                    continue
                # the candidate is a whole word: only a prefix or rest can touch another
                if (form.prefix and begin > 0 and _is_word(text[begin - 1])) \
                        or (form.rest and stop < len(text) and _is_word(text[stop])):
                    continue
                taken = stop
                yield begin, stop, form
                break


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _variants(label: str) -> set[str]:
    """A surface form as it may be typed: straight or curly apostrophe, and
    capitalised at a sentence start ("the Slayer" → "The Slayer").  A form
    with no capital at all is a description or common word: none."""
    if not any(ch.isupper() for ch in label):
        return set()
    forms = {label, label.replace("'", "’"), label.replace("’", "'")}
    forms |= {f[0].upper() + f[1:] for f in forms if f[0].islower()}
    return forms


_MATCHERS: weakref.WeakKeyDictionary[Canon, _Matcher] = weakref.WeakKeyDictionary()


def _matcher(canon: Canon) -> _Matcher:
    if canon not in _MATCHERS:
        _MATCHERS[canon] = _Matcher(canon)
    return _MATCHERS[canon]


# ---------------------------------------------------------------- the scan


@dataclass
class _Mention:
    """One occurrence of a name or term in the story text."""

    chapter: int
    paragraph: int
    start: int
    end: int
    form: _Form
    in_quote: bool
    vocative: bool
    sentence_start: bool  # the first word of a sentence (or of a quotation)
    target: _Target | None = None  # decided after the fandoms are known


@dataclass
class _Paragraph:
    """One paragraph with its quotations located."""

    chapter: int
    index: int
    text: str
    quotes: list[tuple[int, int]]  # (start, end) spans, sorted

    def in_quote(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self.quotes, (pos, len(self.text) + 1)) - 1
        if i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def narration(self) -> str:
        pieces, last = [], 0
        for start, end in self.quotes:
            pieces.append(self.text[last:start])
            last = end
        pieces.append(self.text[last:])
        return " ".join(pieces)


_DOUBLE_QUOTES = re.compile(r'“[^”“]*(?:”|$)|"[^"]*(?:"|$)')


def _paragraphs(reading: Reading) -> list[_Paragraph]:
    """Every story paragraph with the spans of its quotations.

    Chapters quoted with double marks (the common case) are split with one
    regular expression; others (single marks, dash dialogue) go through
    :func:`~fanarchive.reading.dialogue.find_quotations`, which handles them
    but costs more.
    """
    out = []
    for c, chapter in enumerate(reading.chapters):
        texts = [p.text for p in chapter.paragraphs]
        if any('"' in t or "“" in t for t in texts):
            spans = {p: [m.span() for m in _DOUBLE_QUOTES.finditer(t)] for p, t in enumerate(texts)
                     if '"' in t or "“" in t}
        else:
            spans = {}
            for quote in find_quotations(texts):
                for p, start, end in [(quote.paragraph, quote.start, quote.end), *quote.continuations]:
                    spans.setdefault(p, []).append((start, end))
        out.extend(_Paragraph(c, p, text, sorted(spans.get(p, []))) for p, text in enumerate(texts))
    return out


_SENTENCE_OPENERS = set("\"“‘'.!?—–…")
_VOCATIVE_AFTER = set(",.!?—–…")


def _is_vocative(text: str, start: int, end: int, quote: tuple[int, int]) -> bool:
    """A name said to someone: "…, Slayer." / "Spike, listen" inside a quotation."""
    before = text[max(quote[0], start - 8):start].rstrip()  # bounded: a quote may be huge
    after = text[end:min(quote[1], end + 8)].lstrip()
    prev, nxt = (before[-1] if before else "“"), (after[0] if after else "”")
    if prev == ",":
        return nxt in _VOCATIVE_AFTER or nxt in "”\""
    return prev in _SENTENCE_OPENERS and nxt in ",!?"


def _scan_joined(matcher: _Matcher, paragraphs: list[_Paragraph]) -> Iterator[tuple[_Paragraph, int, int, _Form]]:
    """(paragraph, start, end, form) for each name or term, from one pass over the whole story.

    The paragraphs are joined by NUL, which no surface form holds, so no name
    spans two paragraphs; positions are given within the paragraph.
    """
    text = "\0".join(p.text for p in paragraphs)
    number, offset = 0, 0
    for start, end, form in matcher.scan(text):
        while start >= offset + len(paragraphs[number].text) + 1:
            offset += len(paragraphs[number].text) + 1
            number += 1
        yield paragraphs[number], start - offset, end - offset, form


def _scan(paragraphs: list[_Paragraph], canon: Canon) -> list[_Mention]:
    """Every occurrence of a known name or term, in reading order."""
    matcher = _matcher(canon)
    mentions = []
    for para, start, end, form in _scan_joined(matcher, paragraphs):
        quote = para.in_quote(start)
        vocative = quote is not None and _is_vocative(para.text, start, end, quote)
        before = para.text[max(0, start - 3):start].rstrip()
        opening = not before or before[-1] in _SENTENCE_OPENERS
        mentions.append(_Mention(para.chapter, para.index, start, end, form, quote is not None, vocative, opening))
    return mentions


# ---------------------------------------------------------------- fandoms


@dataclass
class FandomEvidence:
    """Why a fandom is thought to be in play."""

    name: str
    score: float
    declared: bool = False
    characters: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def _doubtful(mentions: list[_Mention], paragraphs: list[_Paragraph]) -> set[int]:
    """Mentions that may be an ordinary word: a one-word form opening a
    sentence when the same word also appears in lower case ("One go in the
    sack…" beside "the one who beat me")."""
    openers = {m.form.label for m in mentions if m.sentence_start and " " not in m.form.label}
    if not openers:
        return set()
    text = "\n".join(p.text for p in paragraphs)
    lowered = [label.lower() for label in openers]
    if all(_KEY_WORD.fullmatch(label) for label in lowered):  # whole words cannot overlap: look each up
        common = {label for label in lowered if _has_word(text, label)}
    else:  # "o'neill" may hide "neill": one left-to-right pass, as a reader would see them
        common = set(re.findall(r"\b(?:%s)\b" % "|".join(map(re.escape, lowered)), text))
    return {id(m) for m in mentions if m.sentence_start and m.form.label.lower() in common}


def _has_word(text: str, word: str) -> bool:
    """True when ``word`` occurs in ``text`` between word boundaries (as ``\\bword\\b`` would match).

    Searched with ``str.find``, which stops at the first whole-word occurrence
    instead of running a regex over the whole text.
    """
    starts_word, ends_word = _is_word(word[0]), _is_word(word[-1])
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = at > 0 and _is_word(text[at - 1])
        after = end < len(text) and _is_word(text[end])
        if before != starts_word and after != ends_word:
            return True
        at = text.find(word, at + 1)
    return False


def _decide_fandoms(mentions: list[_Mention], reading: Reading, canon: Canon,
                    doubtful: set[int]) -> list[FandomEvidence]:
    """The fandoms in play, strongest first.

    Declared fandoms are always in play.  Others are added one at a time,
    best evidence first, counting only mentions not already explained by a
    fandom in play (so "Spike" in a Buffy story is no evidence for another
    fandom that also has a Spike).  Evidence is the number of distinct
    characters named by a strong alias, plus a quarter for each character
    named only by a weak alias and half for each distinct fandom term, each
    shared equally between the fandoms that claim the form (a form naming
    several characters of one fandom counts once).  A character
    listed outside a fandom's leads counts 0.7, so a story about Buffy and
    Giles goes to the show they lead rather than one they visit.  A fandom
    with some evidence gains one point when the author's notes name one of
    its episodes by title, and one more when the story names one of its
    characters by their full name ("Molly Hooper": many fandoms have a Molly,
    few a Molly Hooper) and keeps naming them (a lasting presence, not a
    passing "like Harry Potter").
    """
    in_play: dict[str, FandomEvidence] = {}
    for label in reading.front.fandoms:
        fandom = canon.fandom(label)
        if fandom and fandom.name not in in_play:
            in_play[fandom.name] = FandomEvidence(fandom.name, 0.0, declared=True)
    titled: dict[str, bool] = {}  # fandom → the author's notes name one of its episodes
    # Only a form's first undoubted mention can earn credit (later ones find it credited),
    # so each pass looks at the distinct forms, in the order first met.
    evidence = _distinct_forms(m for m in mentions if id(m) not in doubtful)
    times: Counter[tuple[str, str]] = Counter(
        (t.fandom, t.character.name) for m in mentions if id(m) not in doubtful for t in m.form.targets if t.character)
    full_names = {t.fandom for form in evidence for t in form.targets
                  if _is_full_name(form.label, t) and times[t.fandom, t.character.name] >= _FULL_NAME_MENTIONS}
    while True:
        scores: dict[str, FandomEvidence] = {}
        credited: set[tuple[str, str]] = set()
        for form in evidence:
            targets = [t for t in form.targets if t.fandom not in in_play]
            if len(targets) < len(form.targets) or not targets:
                continue  # explained by a fandom in play
            by_fandom: dict[str, list[_Target]] = {}
            for target in targets:
                by_fandom.setdefault(target.fandom, []).append(target)
            share = 1.0 / len(by_fandom)
            for name, owners in by_fandom.items():
                keys = {(name, _credit_key(t, form)) for t in owners}
                fresh = [t for t in owners if (name, _credit_key(t, form)) not in credited]
                if not fresh:
                    continue
                credited.update(keys)  # a form naming several characters counts as one
                best = max(fresh, key=_weight)
                ev = scores.setdefault(name, FandomEvidence(name, 0.0))
                ev.score += _weight(best) * share
                if best.character is None:
                    ev.terms.append(form.label)
                else:
                    ev.characters.append(best.character.name)
        for name, ev in scores.items():
            if name not in titled:
                titled[name] = names_titles(reading, canon.fandoms[name])
            ev.score += 1.0 if titled[name] else 0.0
            ev.score += 1.0 if name in full_names else 0.0
        if not scores:
            break
        best = max(scores.values(), key=lambda e: (e.score, -len(e.name), e.name))
        if best.score < (2.0 if in_play else 1.0):
            break
        in_play[best.name] = best
    for form in _distinct_forms(mentions):  # evidence for declared fandoms, for the record
        for target in form.targets:
            ev = in_play.get(target.fandom)
            if ev is not None and ev.declared and target.character and target.character.name not in ev.characters:
                ev.characters.append(target.character.name)
                ev.score += _weight(target)
    return sorted(in_play.values(), key=lambda e: (not e.declared, -e.score))


def _distinct_forms(mentions: Iterable[_Mention]) -> list[_Form]:
    """The forms of ``mentions``, each once, in the order first met."""
    return list({id(m.form): m.form for m in mentions}.values())


_FULL_NAME_MENTIONS = 3  # mentions (by any name) a character named in full needs to bring in their fandom


def _is_full_name(label: str, target: _Target) -> bool:
    """Whether ``label`` is the character's canonical name of two words or more (no disambiguator)."""
    return target.character is not None and " " in label and label == bare_name(target.character.name)


def _credit_key(target: _Target, form: _Form) -> str:
    return target.character.name if target.character else "term:" + form.label


def _weight(target: _Target) -> float:
    """Evidence one distinct character or term gives for its fandom."""
    if target.character is None:
        return 0.5
    return 0.25 if target.weak else 1.0 if target.leading else 0.7


def find_fandoms(reading: Reading, canon: Canon) -> list[FandomEvidence]:
    """The fandoms a work belongs to, strongest first, with their evidence."""
    paragraphs = _paragraphs(reading)
    mentions = _scan(paragraphs, canon)
    return _decide_fandoms(mentions, reading, canon, _doubtful(mentions, paragraphs))


def _resolve(mentions: list[_Mention], fandoms: list[str]) -> list[_Mention]:
    """Give each mention its character in the strongest fandom in play, dropping the rest.

    Only fandoms in play count, so a weak alias ("Slayer") is counted only
    when its fandom is evidenced by something else.  An alias two characters
    of the fandom share goes to the one named more often by strong aliases,
    and is dropped when that does not decide.
    """
    rank = {name: i for i, name in enumerate(fandoms)}
    times = Counter(id(m.form) for m in mentions)
    strong: Counter[tuple[str, str]] = Counter()
    for form in _distinct_forms(mentions):
        for target in form.targets:
            if target.character and not target.weak:
                strong[target.fandom, target.character.name] += times[id(form)]

    def choose(form: _Form) -> _Target | None:
        options = [t for t in form.targets if t.character and t.fandom in rank]
        if not options:
            return None
        best_fandom = min(rank[t.fandom] for t in options)
        options = [t for t in options if rank[t.fandom] == best_fandom]
        options.sort(key=lambda t: -strong[t.fandom, t.character.name])
        if len(options) > 1 and strong[options[0].fandom, options[0].character.name] == strong[
                options[1].fandom, options[1].character.name]:
            return None  # a shared alias and nothing to choose between its owners
        return options[0]

    chosen: dict[int, _Target | None] = {}  # the choice depends on the form only
    resolved = []
    for mention in mentions:
        key = id(mention.form)
        if key not in chosen:
            chosen[key] = choose(mention.form)
        if chosen[key] is not None:
            mention.target = chosen[key]
            resolved.append(mention)
    return resolved


# ---------------------------------------------------------------- narration

_PERSON = {
    "i": "first", "me": "first", "my": "first", "mine": "first", "myself": "first",
    "you": "second", "your": "second", "yours": "second", "yourself": "second",
    "he": "third", "she": "third", "him": "third", "her": "third", "his": "third", "hers": "third",
    "himself": "third", "herself": "third",
}
_PRONOUN_CANDIDATE = re.compile(words_starting_with(sorted({w[0] for w in _PERSON}), ignore_case=True))


def _count_persons(narrations: Iterable[str]) -> Counter[str]:
    """Grammatical person of each personal pronoun in any case (but not a lower-case "i").

    The words that start like a pronoun are counted in one pass, then looked
    up as ``re.IGNORECASE`` would compare them.
    """
    words = Counter(_PRONOUN_CANDIDATE.findall("\n".join(narrations)))
    persons: Counter[str] = Counter()
    for word, times in words.items():
        person = _PERSON.get(ascii_fold(word)) if word != "i" else None
        if person:
            persons[person] += times
    return persons


_IRREGULAR_PAST = frozenset("""
was were had did said went saw came took made knew thought felt told got gave found left stood sat ran
held kept let began brought bought caught fought taught meant met paid sent spent built lost heard
became grew threw drew wore tore swore broke spoke chose froze woke rose drove wrote rode hid bit
slid struck stuck hung led fed fled shook forgot understood sought lay lit fell could would
""".split())
_PRESENT = frozenset("is are am has does goes says can will".split())
_NOT_VERBS = frozenset("""
is was has had does did the a an and but or not never just only also still even always really
too so then now all both
""".split())
# The lookahead on the letters a subject can start with changes no match but
# lets the engine skip the other positions fast (about a third quicker).
_SUBJECT_VERB = re.compile(r"(?=[A-Zhistw])\b(?:I|[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Ww]e|[A-Z][a-z]+)\s+(?:\w+ly\s+)?([a-z]+)\b")
_PERCEPTION = (
    r"(?:(?:can|could|does|did)(?:n['’]t|\s+not)?\s+)?"
    r"(?:watch|see|saw|realis|realiz|think|thought|feel|felt|wonder|know|knew|notic|hear|heard|"
    r"remember|want|hope|wish|fear|decid|understand|understood|suspect|recall|sens|imagin|doubt|"
    r"focus)\w*"
    r"|(?:['’]s|\s+is|\s+was)\s+(?:not\s+)?(?:sure|surprised|aware|afraid|grateful|glad|certain)"
)
_SHE_OR_HE = word_start(["She", "she", "He", "he"])  # \b([Ss]he|[Hh]e), quick to search for
_PRONOUN_PERCEIVES = re.compile(r"(%s)\s+(?:\w+ly\s+)?(?:%s)\b" % (_SHE_OR_HE, _PERCEPTION))
_NAME_PERCEIVES = re.compile(r"\s*(?:\w+ly\s+)?(?:%s)\b" % _PERCEPTION)
_SPEECH = re.compile(
    r"(" + _SHE_OR_HE + r")\s+(?:\w+ly\s+)?(?:says|said|asks|asked|tells|told|answers|answered|replies|replied|"
    r"shouts|shouted|growls|growled|sneers|sneered|snaps|snapped|whispers|whispered|mutters|muttered|"
    r"commands|commanded|calls|called|yells|yelled|taunts|taunted|murmurs|murmured|hisses|hissed)\b"
)
PARTNER_NOUNS = ("honey", "boyfriend", "girlfriend", "lover", "beau", "sweetheart", "fiancée", "fiancé", "husband",
                 "wife", "girl", "guy")
PARTNER_REFERENCE = re.compile(r"(%s)\s+(%s)\b" % (  # case-insensitive
    word_start(["my", "your", "her", "his"], ignore_case=True), caseless(PARTNER_NOUNS)))
"""A possessive partner reference ("your boyfriend"): group 1 the owner's pronoun, group 2 the noun."""
_PARTNER_GENDER = {"boyfriend": "m", "beau": "m", "husband": "m", "guy": "m",
                   "girlfriend": "f", "wife": "f", "girl": "f", "fiancée": "f"}


def _person(counts: Counter[str]) -> str:
    first, second, third = counts["first"], counts["second"], counts["third"]
    if first >= max(3, 0.25 * third) and first >= second:
        return "first"
    if second >= max(3, 0.25 * third) and second > first:
        return "second"
    return "third" if third else "unknown"


def _tense(narrations: Iterable[str]) -> str:
    """Past or present, from the verbs that follow a subject in the narration."""
    past = present = 0
    verbs = Counter(_SUBJECT_VERB.findall("\0".join(narrations)))  # NUL: no subject and verb across paragraphs
    for word, times in verbs.items():
        if word in _NOT_VERBS and word not in _PRESENT and word not in _IRREGULAR_PAST:
            continue
        if word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 3):
            past += times
        elif word in _PRESENT or (word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2):
            present += times
    if past + present < 3:
        return "unknown"
    return "past" if past >= present else "present"


class _Recency:
    """The character most recently seen present (named in narration or
    addressed by name), overall and per gender: who "she" or "you" is."""

    def __init__(self) -> None:
        self.last: list[str] = []
        self.by_gender: dict[str, str] = {}

    def see(self, name: str, gender: str) -> None:
        if name in self.last:
            self.last.remove(name)
        self.last.append(name)
        if gender:
            self.by_gender[gender] = name

    def latest(self, exclude: str | None = None) -> str | None:
        return next((n for n in reversed(self.last) if n != exclude), None)


@dataclass
class _Analysis:
    """Intermediate results of :func:`find_characters`."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)  # name → surface form → times
    fandom_of: dict[str, str] = field(default_factory=dict)
    pov_votes: Counter[str] = field(default_factory=Counter)

    def count(self, name: str, fandom: str, label: str) -> None:
        counts = self.counts.get(name)
        if counts is None:
            counts = self.counts[name] = Counter()
            self.fandom_of[name] = fandom
        counts[label] += 1


def _walk(paragraphs: list[_Paragraph], mentions: list[_Mention], fandoms: list[Fandom],
          placement: Placement | None, analysis: _Analysis) -> None:
    """Read the paragraphs in order, counting mentions, POV votes and partner references."""
    by_para: dict[tuple[int, int], list[_Mention]] = {}
    for mention in mentions:
        by_para.setdefault((mention.chapter, mention.paragraph), []).append(mention)
    genders = {c.name: c.gender for f in fandoms for c in f.characters}
    perceiving, partnering = _by_paragraph((_PRONOUN_PERCEIVES, PARTNER_REFERENCE), paragraphs)
    recency = _Recency()
    for number, para in enumerate(paragraphs):
        found = by_para.get((para.chapter, para.index), [])
        events: list[tuple[int, str, object]] = [(m.start, "mention", m) for m in found]
        events += [(pos, "perceives", m) for pos, m in perceiving.get(number, ())]
        events += [(pos, "partner", m) for pos, m in partnering.get(number, ())]
        if not events:
            continue
        events.sort(key=lambda e: e[0])
        speaker = _speaker(para, found, recency, genders) if number in partnering else None  # only "my X" needs it
        for pos, kind, item in events:
            if kind == "mention":
                mention = item
                name = mention.target.character.name
                analysis.count(name, mention.target.fandom, mention.form.label)
                if not mention.in_quote and _NAME_PERCEIVES.match(para.text, mention.end):
                    analysis.pov_votes[name] += 1
                if not mention.in_quote or mention.vocative:  # someone present in the scene
                    recency.see(name, genders.get(name, ""))
            elif para.in_quote(pos) is None and kind == "perceives":
                gender = "f" if item.group(1).lower() == "she" else "m"
                if gender in recency.by_gender:
                    analysis.pov_votes[recency.by_gender[gender]] += 1
            elif kind == "partner":
                owner = _partner_owner(item, pos, para, found, speaker, recency)
                partner = owner and _partner(owner, item.group(2).lower(), fandoms, placement, speaker,
                                             set(analysis.counts))
                if partner:
                    analysis.count(partner[0], partner[1], item.group(0))


_Located = dict[int, list[tuple[int, re.Match[str]]]]


def _by_paragraph(patterns: Iterable[re.Pattern[str]], paragraphs: list[_Paragraph]) -> list[_Located]:
    """For each pattern, paragraph number → (start in that paragraph, match) for each of its matches.

    One pass per pattern over the paragraphs joined by NUL, which none of the
    patterns used here can match, so no match spans two paragraphs.
    """
    starts = [0, *accumulate(len(p.text) + 1 for p in paragraphs)]
    text = "\0".join(p.text for p in paragraphs)
    located = []
    for pattern in patterns:
        found: _Located = {}
        for match in pattern.finditer(text):
            number = bisect_right(starts, match.start()) - 1
            found.setdefault(number, []).append((match.start() - starts[number], match))
        located.append(found)
    return located


def _speaker(para: _Paragraph, found: list[_Mention], recency: _Recency, genders: dict[str, str]) -> str | None:
    """A rough guess at who speaks the paragraph's quotations, for "my"/"your" references.

    A say-clause with a pronoun ("he answers") wins, then the first character
    named in the narration.  Full attribution is dialogue.py's job; this only
    needs to be right often enough to own a possessive.
    """
    if not para.quotes:
        return None
    narration = [m for m in found if not m.in_quote]
    for match in _SPEECH.finditer(para.text):
        if para.in_quote(match.start()) is None:
            gender = "f" if match.group(1).lower() == "she" else "m"
            named = [m.target.character.name for m in narration if genders.get(m.target.character.name) == gender]
            return named[0] if named else recency.by_gender.get(gender)
    return narration[0].target.character.name if narration else None


def _partner_owner(match: re.Match[str], pos: int, para: _Paragraph, found: list[_Mention], speaker: str | None,
                   recency: _Recency) -> str | None:
    """Whose partner "my/your/her/his X" (found at ``pos`` in the paragraph) means, or None when unclear."""
    word = match.group(1).lower()
    quote = para.in_quote(pos)
    if quote is None:
        return recency.by_gender.get("f" if word == "her" else "m") if word in ("her", "his") else None
    if word == "my":
        return speaker
    if word == "your":
        vocatives = [m.target.character.name for m in found if m.vocative and quote[0] <= m.start < quote[1]]
        vocatives = [n for n in vocatives if n != speaker]
        return vocatives[0] if vocatives else recency.latest(exclude=speaker)
    return None


def _partner(owner: str, noun: str, fandoms: list[Fandom], placement: Placement | None, speaker: str | None,
             present: set[str]) -> tuple[str, str] | None:
    """(partner, fandom) that ``owner``'s "boyfriend"/"honey"/… is at the story's place in canon.

    Only relationships dated in the canon details count.  At a known place,
    a relationship counts if it has begun by then; one still going beats one
    that has ended, and a later one beats an earlier one.  With no place,
    a partner already named in the story is preferred.  None when unclear.
    """
    gender = _PARTNER_GENDER.get(noun)
    for fandom in fandoms:
        if fandom.character(owner) is None:
            continue
        index = {e.code: e.index for e in fandom.timeline}
        here = placement.after.index if placement and placement.after and placement.fandom == fandom.name else None
        options = []
        for other, rel in fandom.partners(owner):
            partner = fandom.character(other)
            if not partner or other == speaker or (rel.start is None and rel.until is None):
                continue
            if gender and partner.gender and partner.gender != gender:
                continue
            begun = index[rel.start] if rel.start else -1
            ended = index[rel.until] if rel.until else len(index)
            if here is not None:
                if begun > here:
                    continue
                options.append(((ended > here, begun), other))
            else:
                options.append(((other in present, 0), other))
        options.sort(reverse=True)
        if options and (len(options) == 1 or options[0][0] != options[1][0]):
            return options[0][1], fandom.name
    return None


# ---------------------------------------------------------------- roles


def _decide_roles(characters: list[Character], pov: str | None) -> None:
    """``main`` for the POV character, anyone who speaks twice or more, and
    anyone named at least a fifth as often as the most-named character (and
    at least four times); everyone else is ``mentioned``."""
    top = max((c.mentions for c in characters), default=0)
    for character in characters:
        main = (character.name == pov or character.quotes >= 2
                or character.mentions >= max(4, 0.2 * top))
        character.role = "main" if main else "mentioned"


def find_characters(reading: Reading, canon: Canon) -> None:
    """Fill ``reading.characters`` and ``reading.narration``.

    Roles are provisional until :func:`update_speech` adds who speaks.
    """
    paragraphs = _paragraphs(reading)
    mentions = _scan(paragraphs, canon)
    in_play = _decide_fandoms(mentions, reading, canon, _doubtful(mentions, paragraphs))
    fandoms = [canon.fandoms[e.name] for e in in_play]
    resolved = _resolve(mentions, [f.name for f in fandoms])
    placement = reading.placement or _provisional_placement(reading, fandoms)
    analysis = _Analysis()
    _walk(paragraphs, resolved, fandoms, placement, analysis)

    narrations = [p.narration() for p in paragraphs]
    person = _person(_count_persons(narrations))
    pov = None
    if analysis.pov_votes and person == "third":
        name, votes = analysis.pov_votes.most_common(1)[0]
        if votes >= 2:
            pov = name
    reading.narration = Narration(pov_character=pov, person=person, tense=_tense(narrations))
    reading.characters = [
        Character(name=name, fandom=analysis.fandom_of[name], aliases=dict(counts.most_common()),
                  mentions=sum(counts.values()))
        for name, counts in analysis.counts.items()
    ]
    reading.characters.sort(key=lambda c: -c.mentions)
    _decide_roles(reading.characters, pov)


def _provisional_placement(reading: Reading, fandoms: list[Fandom]) -> Placement | None:
    """Where the author says the story is set, before the full placement runs."""
    for fandom in fandoms:
        found = explicit_placement(reading, fandom)
        if found:
            return found
    return None


# ---------------------------------------------------------------- attribution hand-off


def build_cast(reading: Reading, canon: Canon) -> Cast:
    """The :class:`~fanarchive.reading.dialogue.Cast` for quotation attribution.

    Every surface form of every character of the fandoms in play (the
    fandoms of the characters found, plus declared ones), mapped to the
    canonical name; genders from canon; and each epithet of a character
    found in the story ("the vampire"), given to the most-mentioned found
    character that has it.  Call after :func:`find_characters`.
    """
    names: dict[str, str] = {}
    genders: dict[str, str] = {}
    wanted = [c.fandom for c in reading.characters]
    wanted += [f.name for f in map(canon.fandom, reading.front.fandoms) if f]
    for fandom_name in dict.fromkeys(wanted):
        fandom = canon.fandoms.get(fandom_name)
        for character in fandom.characters if fandom else ():
            genders.setdefault(character.name, character.gender)
            for form in character.surface_forms:
                if any(ch.isupper() for ch in form):
                    names.setdefault(form, character.name)
    for found in reading.characters:  # the fandom a found character was read in wins
        fandom = canon.fandoms.get(found.fandom)
        character = fandom.character(found.name) if fandom else None
        for form in character.surface_forms if character else ():
            if any(ch.isupper() for ch in form):
                names[form] = found.name
    epithets: dict[str, str] = {}
    for found in reading.characters:  # sorted most-mentioned first
        fandom = canon.fandoms.get(found.fandom)
        character = fandom.character(found.name) if fandom else None
        if character:
            lower = [a for a in character.aliases if not any(ch.isupper() for ch in a)]
            for epithet in (*character.epithets, *lower):
                epithets.setdefault(epithet.lower(), found.name)
    narrator = reading.narration.pov_character if reading.narration.person == "first" else None
    return Cast(names=names, genders=genders, epithets=epithets, narrator=narrator or NARRATOR)


def update_speech(reading: Reading) -> None:
    """Count each character's quotations and words from ``reading.quotes`` and re-decide roles.

    A speaker the character search did not find (a name as written) is added
    as a character with no mentions.
    """
    quotes: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for quote in reading.quotes:
        if quote.speaker:
            quotes[quote.speaker] += 1
            words[quote.speaker] += len(quote.text.split())
    known = {c.name: c for c in reading.characters}
    for speaker in quotes:
        if speaker not in known and speaker != NARRATOR:
            known[speaker] = Character(name=speaker)
            reading.characters.append(known[speaker])
    for character in reading.characters:
        character.quotes = quotes[character.name]
        character.words_spoken = words[character.name]
    _decide_roles(reading.characters, reading.narration.pov_character)
