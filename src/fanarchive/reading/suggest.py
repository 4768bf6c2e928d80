"""Suggest AO3-style tags for a read work, each with a confidence and its evidence.

:func:`suggest_tags` looks at two things. What the author *declared* in the
front matter is normalised to the archive's canonical tags ("Spike/Buffy" →
"Buffy Summers/Spike", "PG-13" → "Teen And Up Audiences") and kept with high
confidence. What the *text* shows is read with small lexicons and thresholds:
characters found, romantic signals between them, explicit or violent
vocabulary, disability, grief... Inferred tags are deliberately conservative:
a wrangler or the author confirms them, so every suggestion carries the
sentences (or note lines) that led to it.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations, islice
from typing import TYPE_CHECKING, Any

from .canon import bare_name
from .characters import PARTNER_NOUNS, PARTNER_REFERENCE
from .model import Character, Quote, Reading, Suggestion
from .patterns import ascii_fold, by_first_letter

if TYPE_CHECKING:
    from .canon import Canon, Fandom, Relationship

# AO3's fixed tag sets.
GENERAL = "General Audiences"
TEEN = "Teen And Up Audiences"
MATURE = "Mature"
EXPLICIT = "Explicit"
NOT_RATED = "Not Rated"

CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
NO_WARNINGS = "No Archive Warnings Apply"
GRAPHIC_VIOLENCE = "Graphic Depictions Of Violence"
CHARACTER_DEATH = "Major Character Death"
NON_CON = "Rape/Non-Con"
UNDERAGE = "Underage"

_EVIDENCE_LINES = 3
_HINT_FACTOR = 0.6  # inferred tags beside a declared list of the same type
_GRAPHIC_GORE = 6  # gore words that make violence graphic (Mature, and its warning)
_EVIDENCE_CHARS = 240
_PASSING_SHARE = 0.05  # a mentioned character under this share of the top character's mentions ...
_PASSING_CONFIDENCE = 0.45  # ... is offered at most at this confidence (below pre-selection)


# --------------------------------------------------------------------------
# Text access
# --------------------------------------------------------------------------

# A sentence runs from a non-space character to its first run of terminal
# marks (with any closing quotes or brackets) followed by a space, else to
# the end of the text (before a final newline). It matches exactly what the
# lazy r"\S.*?(?:[.!?…]+[\"'”’)\]]*(?=\s)|$)" (re.S) matches, about three
# times faster: the text in between is taken a run at a time instead of
# the end being tried after every character.
_SENTENCE_RE = re.compile(r"""
    \S
    (?: [^.!?…\n]++                # no terminal mark, no newline
      | \n(?!\Z)                   # a newline that does not end the text
      | [.!?…]++["'”’)\]]*+(?!\s)   # terminal marks not followed by a space
    )*+
    (?: [.!?…]+["'”’)\]]*(?=\s) | $ )
""", re.X)
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _sentences(text: str) -> list[str]:
    """Split a paragraph or note into sentences (good enough for evidence)."""
    return [" ".join(sentence.split()) for sentence in _SENTENCE_RE.findall(text)]


def _clip(line: str) -> str:
    """Shorten an evidence line to something a person reads at a glance."""
    line = " ".join(line.split())
    if len(line) <= _EVIDENCE_CHARS:
        return line
    return line[: _EVIDENCE_CHARS - 1].rsplit(" ", 1)[0] + "…"


_Keys = tuple[tuple[str, ...], ...]
"""For each term of a regex, the words every match of it holds (lower-case; ``*`` ends a word start)."""


@dataclass(frozen=True, eq=False)  # compared by identity: lexicons are cached
class _Lexicon:
    """A whole-word regex, with the words a sentence must hold for it to match there.

    ``keys`` are groups of :data:`_Keys`: a sentence can only match when, for
    every group, it holds all the words of one of its terms. None when some
    term holds no whole word (then every sentence is tried). This lets
    :class:`_Text` run the regex on the few sentences its word index points
    to instead of on the whole story.
    """

    pattern: re.Pattern[str]
    keys: tuple[_Keys, ...] | None

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text)


_TOKEN_RE = re.compile(r"\w+")


def _words_of(term: str, open_end: bool = False) -> tuple[str, ...]:
    """The words any match of ``term`` holds, as :data:`_Keys` spells them.

    A word after a ``*`` is skipped (it is glued to the wildcard's letters);
    one before a ``*`` — or at the end when ``open_end`` (the regex puts no
    word boundary after the term) — is only a word start.
    """
    words = []
    for run in _TOKEN_RE.finditer(term):
        if run.start() and term[run.start() - 1] == "*":
            continue
        after = term[run.end():run.end() + 1]
        words.append(run.group().lower() + ("*" if after == "*" or (not after and open_end) else ""))
    return tuple(words)


def _keys(terms: Iterable[str], open_end: bool = False) -> _Keys | None:
    """:func:`_words_of` for every term; None when one term holds no word."""
    keys = tuple(_words_of(term, open_end) for term in terms)
    return None if not all(keys) else keys


@lru_cache(maxsize=512)
def _lexicon(*terms: str, ignore_case: bool = True) -> _Lexicon:
    """A whole-word regex for ``terms``; ``*`` ends a prefix ("kiss*").

    Cached: the same terms (a fandom's, a character's aliases) compile once.
    """
    parts = []
    for group in by_first_letter(sorted(terms, key=len, reverse=True), ignore_case):
        escaped = [re.escape(t).replace(r"\*", r"\w*").replace(r"\ ", r"\s+").replace("'", "['’]") for t in group]
        parts.append("|".join(escaped))
    pattern = re.compile(r"(?<![\w-])(?:(?:" + ")|(?:".join(parts) + r"))(?![\w-])", re.I if ignore_case else 0)
    keys = _keys(terms)
    return _Lexicon(pattern, None if keys is None else (keys,))


@dataclass
class _Hits:
    """How often a lexicon matched, and the sentences that matched most."""

    count: int = 0
    evidence: list[str] = field(default_factory=list)

    def per_thousand(self, words: int) -> float:
        """Matches per thousand words of story."""
        return 1000.0 * self.count / max(words, 1)

    @classmethod
    def of(cls, matched: Iterable[tuple[int, str]]) -> _Hits:
        """From (matches, sentence) pairs in reading order: the total and the densest sentences."""
        matched = list(matched)
        best = heapq.nsmallest(_EVIDENCE_LINES, matched, key=lambda item: -item[0])  # stable, as sorted()
        return cls(sum(n for n, _ in matched), [_clip(s) for _, s in best])


def _scan(pattern: re.Pattern[str] | _Lexicon, sentences: Iterable[str]) -> _Hits:
    """Count ``pattern`` over ``sentences``, keeping the densest ones as evidence."""
    counted = ((len(pattern.findall(sentence)), sentence) for sentence in sentences)
    return _Hits.of((n, sentence) for n, sentence in counted if n)


_NON_LETTER_BYTES = bytes(b for b in range(128) if not chr(b).isalpha())
_UNINDEXED = frozenset("""
the and to a of he she i you it in that was his her him is for on with at as but be had have they not s t
my we so this there from up out all were an if do just no what said would could been are by
""".split())
"""Words so common that indexing them costs more than it saves: any sentence may hold them."""
_NON_ASCII_LETTER_RE = re.compile(r"[^\W\x00-\x7f]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


@dataclass
class _Text:
    """The work cut into sentences: story paragraphs, and the author's own lines.

    Lexicons are counted through a word index (word → sentences holding it),
    built once, so each lexicon's regex only runs on the sentences that hold
    one of its words; the cost of a lexicon then grows with its matches, not
    with the length of the story.
    """

    paragraphs: list[list[str]]
    author_lines: list[str]
    words: int
    places: list[tuple[int, int]] = field(default_factory=list)  # (chapter, paragraph) of each in ``reading.chapters``
    _found: dict[_Lexicon, dict[int, int]] = field(default_factory=dict, repr=False)
    _hits: dict[_Lexicon, _Hits] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, reading: Reading) -> _Text:
        front = reading.front
        places = [(c, k) for c, chapter in enumerate(reading.chapters)
                  for k, p in enumerate(chapter.paragraphs) if p.text.strip()]
        paragraphs = [_sentences(reading.chapters[c].paragraphs[k].text) for c, k in places]
        notes = [front.title, front.summary, *front.notes, *front.end_notes, *front.continuity, *front.setting]
        for chapter in reading.chapters:
            notes += [chapter.summary, chapter.notes_begin, chapter.notes_end]
        author_lines = [s for note in notes for line in note.splitlines() for s in _sentences(line)]
        words = reading.word_count or sum(len(_WORD_RE.findall(s)) for p in paragraphs for s in p)
        return cls(paragraphs, author_lines, words, places)

    @cached_property
    def judgeable(self) -> bool:
        """Enough English-looking story for the lexicons to mean anything.

        The lexicons are English: a story mostly in another script, or of a
        few dozen words, is not rated or warned from its text.
        """
        text = "".join(self.joined)
        latin = len(text.encode("ascii", "ignore").translate(None, _NON_LETTER_BYTES))
        other = sum(ch.isalpha() for run in _NON_ASCII_RE.findall(text) for ch in run)
        return self.words >= 100 and latin >= 0.6 * max(latin + other, 1)

    @cached_property
    def sentences(self) -> list[str]:
        """Every story sentence in reading order."""
        return [s for paragraph in self.paragraphs for s in paragraph]

    @cached_property
    def paragraph_of(self) -> list[int]:
        """The paragraph index of each sentence."""
        return [i for i, paragraph in enumerate(self.paragraphs) for _ in paragraph]

    @cached_property
    def joined(self) -> list[str]:
        """Each story paragraph as one string (for presence tests)."""
        return [" ".join(p) for p in self.paragraphs]

    @cached_property
    def _index(self) -> tuple[dict[str, list[int]], list[int]]:
        """Lower-case word → the sentences holding it; and the sentences holding a non-ASCII word.

        A non-ASCII word is also indexed as re's case folding sees it next
        to ASCII terms ("ſex" as "sex", "ſexé" as "sexé" for "sex*"); the
        sentences holding one are tried for every term that is not ASCII.
        """
        postings: dict[str, list[int]] = {}
        unusual = []
        for i, sentence in enumerate(self.sentences):
            if sentence.isascii() or _NON_ASCII_LETTER_RE.search(sentence) is None:
                words = set(_TOKEN_RE.findall(sentence.lower()))
            else:
                words = set()
                for word in set(_TOKEN_RE.findall(sentence)):
                    words.add(word.lower())
                    if not word.isascii():
                        words.add(ascii_fold(word))
                if not all(word.isascii() for word in words):
                    unusual.append(i)
            for word in words - _UNINDEXED:
                holders = postings.get(word)
                if holders is None:
                    postings[word] = [i]
                else:
                    holders.append(i)
        return postings, unusual

    @cached_property
    def _vocabulary(self) -> list[str]:
        """The indexed words, sorted (for words by their start)."""
        return sorted(self._index[0])

    def _holders(self, word: str) -> list[Sequence[int]]:
        """The posting lists of ``word`` (of every word with that start, for ``start*``)."""
        postings = self._index[0]
        if word in _UNINDEXED or (word.endswith("*") and any(w.startswith(word[:-1]) for w in _UNINDEXED)):
            return [range(len(self.sentences))]  # not indexed: any sentence may hold it
        if not word.endswith("*"):
            return [postings.get(word, [])]
        start, vocabulary = word[:-1], self._vocabulary
        found = []
        at = bisect_left(vocabulary, start)
        while at < len(vocabulary) and vocabulary[at].startswith(start):
            found.append(postings[vocabulary[at]])
            at += 1
        return found

    def _holding(self, keys: _Keys) -> set[int]:
        """Sentences that may hold a match of one of the terms, each looked up by its rarest word.

        For a term that is not ASCII, every sentence with a non-ASCII word too.
        """
        found = set(self._index[1]) if not all(w.isascii() for words in keys for w in words) else set()
        for words in keys:
            rarest = min((self._holders(word) for word in words), key=lambda lists: sum(map(len, lists)))
            for holders in rarest:
                found.update(holders)
        return found

    def candidates(self, lexicon: _Lexicon) -> Sequence[int]:
        """Indexes of the sentences ``lexicon`` may match, in reading order."""
        if lexicon.keys is None:
            return range(len(self.sentences))
        found = self._holding(lexicon.keys[0])
        for keys in lexicon.keys[1:]:
            found &= self._holding(keys)
        return sorted(found)

    def matches(self, lexicon: _Lexicon) -> dict[int, int]:
        """Sentence index → number of matches, for every story sentence ``lexicon`` matches (cached)."""
        if lexicon not in self._found:
            findall, sentences = lexicon.pattern.findall, self.sentences
            counts = ((i, len(findall(sentences[i]))) for i in self.candidates(lexicon))
            self._found[lexicon] = {i: n for i, n in counts if n}
        return self._found[lexicon]

    def hits(self, lexicon: _Lexicon, within: Container[int] | None = None) -> _Hits:
        """``lexicon`` counted over the story (or the sentences ``within``), with evidence.

        Over the whole story the result is cached: treat it as read-only.
        """
        sentences = self.sentences
        if within is not None:
            return _Hits.of((n, sentences[i]) for i, n in self.matches(lexicon).items() if i in within)
        if lexicon not in self._hits:
            self._hits[lexicon] = _Hits.of((n, sentences[i]) for i, n in self.matches(lexicon).items())
        return self._hits[lexicon]

    def paragraph_hits(self, lexicon: _Lexicon, unless: _Lexicon | None = None) -> dict[int, _Hits]:
        """Paragraph index → ``lexicon`` counted in it, for the paragraphs it matches.

        A match that starts inside a match of ``unless`` does not count
        ("boyfriend" inside "your boyfriend").
        """
        grouped: dict[int, list[tuple[int, str]]] = {}
        excluded = self.matches(unless) if unless is not None else {}
        for i, n in self.matches(lexicon).items():
            sentence = self.sentences[i]
            if i in excluded:
                spans = [m.span() for m in unless.finditer(sentence)]
                n = sum(not any(s <= m.start() < e for s, e in spans) for m in lexicon.finditer(sentence))
            if n:
                grouped.setdefault(self.paragraph_of[i], []).append((n, sentence))
        return {p: _Hits.of(matched) for p, matched in grouped.items()}

    def paragraphs_naming(self, lexicon: _Lexicon) -> set[int]:
        """Indexes of the paragraphs (as one string) where ``lexicon`` matches.

        A paragraph with a matching sentence matches; the other candidates are
        searched whole, for a name cut by a sentence break ("Mr. Holmes").
        """
        named = {self.paragraph_of[i] for i in self.matches(lexicon)}
        others = {self.paragraph_of[i] for i in self.candidates(lexicon)} - named
        return named | {p for p in others if lexicon.search(self.joined[p])}


# --------------------------------------------------------------------------
# Collecting suggestions
# --------------------------------------------------------------------------


class _Collector:
    """Suggestions keyed by (type, name): no duplicates, strongest claim wins."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], Suggestion] = {}

    def add(
        self,
        tag_type: str,
        name: str,
        confidence: float,
        evidence: Iterable[str],
        declared: bool = False,
    ) -> None:
        """Record one suggestion, merging with an earlier one of the same tag."""
        name = " ".join(name.split())
        if not name:
            return
        confidence = round(min(max(confidence, 0.0), 1.0), 2)
        lines = [_clip(line) for line in evidence if line.strip()]
        key = _key(tag_type, name)
        known = self._found.get(key)
        if known is None:
            self._found[key] = Suggestion(tag_type, name, confidence, _unique(lines)[:_EVIDENCE_LINES], declared)
            return
        known.confidence = max(known.confidence, confidence)
        known.declared = known.declared or declared
        known.evidence = _unique(known.evidence + lines)[:_EVIDENCE_LINES]

    def of_type(self, tag_type: str) -> list[Suggestion]:
        """This type's suggestions so far, most confident first."""
        return sorted((s for s in self._found.values() if s.type == tag_type), key=lambda s: -s.confidence)

    def all(self) -> list[Suggestion]:
        """Every suggestion, in the order first recorded."""
        return list(self._found.values())

    def demote_hints(self, tag_types: Iterable[str]) -> None:
        """Beside an author's own list of a type, inferred extras become hints.

        The author's list is presumably complete, so what the text adds is
        shown at lower confidence ("did you mean to tag…?").
        """
        for tag_type in tag_types:
            found = self.of_type(tag_type)
            if any(s.declared for s in found):
                for suggestion in found:
                    if not suggestion.declared:
                        suggestion.confidence = round(suggestion.confidence * _HINT_FACTOR, 2)


def _key(tag_type: str, name: str) -> tuple[str, str]:
    """What makes two suggestions the same tag."""
    return tag_type, " ".join(name.split()).casefold()


def _unique(lines: Iterable[str]) -> list[str]:
    """Lines without repeats, first occurrence kept."""
    return list(dict.fromkeys(lines))


def _declared_line(label: str, value: str) -> str:
    """Evidence for a declared tag: the front-matter item it came from."""
    return f"{label}: {value}"


# --------------------------------------------------------------------------
# Canon look-ups
# --------------------------------------------------------------------------


class _CanonIndex:
    """Name and alias look-ups over the canon data, for the fandoms in play."""

    def __init__(self, canon: Canon) -> None:
        self.canon = canon
        self.fandoms = list(canon.fandoms.values())
        self.character_names = set(canon.characters_by_alias)

    def fandom_name(self, label: str) -> str | None:
        """The canonical fandom tag for a fandom name or alias, else None."""
        found = self.canon.fandom(label.strip())
        return found.name if found is not None else None

    def character(self, label: str, fandom_names: Sequence[str]) -> str | None:
        """The canonical name for a character name or alias, else None.

        Fandoms in ``fandom_names`` are searched first, then every fandom.
        A strong alias wins over a weak one; an alias that only weak owners
        share is ambiguous and resolves to nothing.
        """
        key = label.strip().casefold()
        preferred = [f for f in self.fandoms if f.name in fandom_names]
        for group in (preferred, self.fandoms):
            strong: list[str] = []
            weak: list[str] = []
            for fandom in group:
                for character in fandom.characters:
                    if key in (character.name.casefold(), bare_name(character.name).casefold()):
                        return character.name
                    if key in (form.casefold() for form in character.surface_forms):
                        is_weak = key in (w.casefold() for w in character.weak)
                        (weak if is_weak else strong).append(character.name)
            if strong:
                return strong[0]
            if len(weak) == 1:
                return weak[0]
        return None

    def epithets(self, name: str, fandom_name: str) -> list[str]:
        """Descriptions that may stand for a character ("the detective").

        Canon epithets and lower-case aliases of ``name`` in ``fandom_name``.
        """
        fandom = self.canon.fandoms.get(fandom_name)
        character = fandom.character(name) if fandom else None
        if character is None:
            return []
        return [*character.epithets, *(a for a in character.aliases if a.islower())]

    def gender(self, name: str) -> str:
        """``m``, ``f`` or ``""`` for a canonical character name."""
        for fandom in self.fandoms:
            for character in fandom.characters:
                if character.name == name:
                    return character.gender
        return ""

    def relationship(
        self, members: Sequence[str], fandom_names: Sequence[str], kind: str = ""
    ) -> Relationship | None:
        """The canon relationship with exactly these members (bare names), if any.

        One of type ``kind`` ("romantic"/"platonic") is preferred when given.
        """
        wanted = {bare_name(m) for m in members}
        preferred = [f for f in self.fandoms if f.name in fandom_names]
        for group in (preferred, self.fandoms):
            found = [r for f in group for r in f.relationships if set(r.members) == wanted]
            if found:
                return next((r for r in found if r.type == kind), found[0])
        return None


_KIND = {"/": "romantic", " & ": "platonic"}


def _members(relationship: str) -> tuple[str, list[str]]:
    """Split "A/B" or "A & B" (also "A x B") into its separator and members."""
    if "/" in relationship:
        separator = "/"
    elif "&" in relationship:
        separator = " & "
    else:
        separator = "/" if re.search(r"\s[xX]\s", relationship) else ""
        if separator:
            relationship = re.sub(r"\s[xX]\s", "/", relationship)
    if not separator:
        return "", [relationship.strip()]
    return separator, [m.strip() for m in relationship.split(separator.strip()) if m.strip()]


# --------------------------------------------------------------------------
# Lexicons (lower-case words unless stated; ``*`` = any ending)
# --------------------------------------------------------------------------

_EXPLICIT_RE = _lexicon(
    "cock", "cocks", "cockhead", "cunt*", "clit", "clitoris", "pussy", "erection*", "orgasm*", "cum", "cumming",
    "semen", "ejaculat*", "lube", "lubed", "lubricant", "prostate", "penis*", "vagina*", "testicle*",
    "foreskin", "blowjob*", "blow job*", "handjob*", "hand job*", "masturbat*", "wank*", "jerk* off",
    "jerked him off", "rimm*", "fingered him", "fingered her", "fingering", "fucked him", "fucked her",
    "fucking him", "fucking her", "fuck me", "fucked me", "thrust* into", "thrust* inside", "nipple*",
    "precome", "pre-come", "precum", "sucked him off", "went down on", "his length", "her folds",
    "climax*", "anal", "hard-on", "arousal", "dildo*", "vibrator*",
)
_SENSUAL_RE = _lexicon(
    "naked", "nude", "aroused", "moan*", "undress*", "made love", "make love", "making love", "slept with",
    "sleep with", "had sex", "have sex", "having sex", "sex", "sexual*", "lingerie", "groped", "in the sack",
    "shirtless", "half-naked", "bare chest", "kissed his neck", "kissed her neck",
)
_STRONG_SWEAR_RE = _lexicon(
    "fuck*", "motherfuck*", "shit*", "bullshit", "cunt", "bastard*", "bitch*", "wanker*", "bollocks",
    "dickhead*", "asshole*", "arsehole*", "twat*", "piss off", "pissed off",
)
_MILD_SWEAR_RE = _lexicon("damn*", "hell", "bloody", "crap*", "arse", "sodding", "bugger*", "git", "prat")
_VIOLENCE_RE = _lexicon(
    "blood", "bloodied", "bloodstain*", "bloodshed", "bleed", "bleeds", "bled", "stab*", "punch*", "shot",
    "shoot*", "gunshot*", "kill*", "murder*", "corpse*", "wound*", "fight*", "fought", "choke*", "strangl*",
    "tortur*", "bruise*", "slit", "slash*", "beat him", "beat her", "beaten", "attack*", "scream*", "knife",
    "gun", "broken ribs", "broke his", "broke her", "injur*",
)
_GORE_RE = _lexicon(
    "gore", "gory", "entrails", "intestine*", "guts", "severed", "dismember*", "decapitat*", "disembowel*",
    "mutilat*", "pool of blood", "spurt*", "splatter*", "viscera", "brain matter", "torn flesh",
    "flesh tore", "gushing blood", "blood gushed", "blood sprayed", "bone protruding", "gouged", "skull cracked",
)
_NON_CON_RE = _lexicon("rape*", "raping", "non-con*", "noncon*", "forced himself on", "forced herself on",
                      "against her will", "against his will", "molest*", "sexual assault*", "sexually assaulted")
_MINOR_RE = _lexicon(
    "twelve-year-old", "thirteen-year-old", "fourteen-year-old", "fifteen-year-old", "sixteen-year-old",
    "twelve years old", "thirteen years old", "fourteen years old", "fifteen years old", "sixteen years old",
    "seventeen years old", "seventeen-year-old", "underage", "child", "little boy", "little girl",
)
_DEATH_PHRASES = (
    "died", "dies", "is dead", "was dead", "lay dead", "lies dead", "dead body", "was killed", "is killed",
    "got killed", "killed himself", "killed herself", "took his own life", "took her own life", "passed away",
    "stopped breathing", "breathed his last", "breathed her last", "funeral", "grave", "corpse", "body was",
    "bled out",
)
_KILLING = ("killed", "murdered", "shot")  # ... followed by the name
_REMAINS = ("death", "dead body", "lifeless body", "corpse", "funeral", "grave")  # ... after the name's "'s"
_DEATH_VERB = "(?:" + "|".join(_DEATH_PHRASES) + ")"
_PARTNER_REFERENCE_RE = _Lexicon(PARTNER_REFERENCE, (_keys(PARTNER_NOUNS),))
_ROMANCE_RE = _lexicon(
    "kiss*", "lover*", "boyfriend*", "girlfriend*", "in love", "love you", "loved him", "loved her",
    "loves him", "loves her", "date", "dating", "bed", "jealous*", "darling", "sweetheart", "husband*",
    "wife", "married", "marry", "proposal", "propose*", "snog*", "caress*", "embrace*", "cuddl*",
    "romantic*", "flirt*", "blush*", "nuzzl*", "his lips", "her lips", "their lips", "lips met", "moan*",
    "making love", "sex", "naked", "aroused", "want you", "need you", "soulmate*", "soul mate*", "fiancé*",
    "fiance*", "engaged", "wedding", "honeymoon", "anniversary", "valentine*",
)
# A pairing written in a title, summary or note: "Sherlock/John", "Spike x Buffy".
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?"
_PAIRING_RE = re.compile(rf"(?<![\w/]){_NAME}(?:\s?/\s?|\s+x\s+){_NAME}(?:\s?/\s?{_NAME})*(?![\w/])")
_AU_RE = _lexicon("AU", "A.U.", ignore_case=False)
_ALT_UNIVERSE_RE = _lexicon("alternate universe", "alternative universe", "alternate reality", "AU-ish")
_DIVERGENCE_RE = _lexicon(
    "canon divergence", "canon-divergence", "canon divergent", "canon-divergent", "diverges from canon",
    "diverge from canon", "divergence from canon", "what if", "instead of",
)
_COMPLIANT_RE = _lexicon("canon-compliant", "canon compliant", "canon compliance", "fits canon", "fits into canon",
                        "compliant with canon")
_HEDGE_RE = _lexicon("can be read", "could be read", "sort of", "kind of", "if you squint", "take it as you will",
                    "your interpretation", "your choice")
_MISSING_SCENE_RE = _lexicon("missing scene", "missing moment", "deleted scene", "coda", "episode tag", "tag to")
_POST_CANON_RE = _lexicon("post-canon", "post canon", "after the series", "after the finale", "after the show",
                         "series finale", "post-series", "post-finale", "after the end of")
_PRE_CANON_RE = _lexicon("pre-canon", "pre canon", "before the series", "before the show", "prequel",
                        "before the events of")
_EPISODE_RE = re.compile(
    r"\b(?:[1-9]\d?[.x]\d{1,2}|s\d{1,2}\s?e\d{1,2}|season \w+,? episode \w+|episode\s+\d+)\b", re.I
)
_SETTING_RE = _lexicon("set after", "set during", "set before", "set between", "takes place", "set in season",
                      "set sometime", "spoilers for")


@dataclass(frozen=True)
class _Theme:
    """A freeform tag read from a lexicon: needs ``min_hits`` and a density."""

    tag: str
    pattern: re.Pattern[str]
    min_hits: int
    per_thousand: float
    base_confidence: float = 0.5


_THEMES = (
    _Theme("Angst", _lexicon(
        "tear*", "cry*", "cried", "sob*", "pain*", "grief", "griev*", "misery", "miserable", "despair*",
        "heartbreak*", "heartbroken", "ache*", "aching", "anguish", "regret*", "lonely", "loneliness",
        "hopeless*", "broken", "sorrow*", "wept", "weep*", "devastat*", "hurt*", "suffer*", "mourn*",
        "guilt*", "agony", "bitter*", "numb", "empty", "lost", "alone", "don't leave me", "shudder*",
    ), 6, 4.0),
    _Theme("Hurt/Comfort", _lexicon(
        "comfort*", "sooth*", "shh*", "it's okay", "it's alright", "it's all right", "you're safe",
        "held him", "held her", "hold him", "hold her", "stroked his hair", "stroked her hair",
        "wiped his tears", "wiped her tears", "take care of you", "look after you",
    ), 3, 0.8),
    _Theme("Fluff", _lexicon(
        "smil*", "giggl*", "cuddl*", "snuggl*", "adorabl*", "cute", "sweet", "grin*", "beam*", "happ*",
        "warmth", "cosy", "cozy", "fond*", "soft*", "laugh*", "delight*", "tender*", "blanket*", "cocoa",
    ), 8, 5.0, 0.45),
    _Theme("Humor", _lexicon(
        "joke*", "joking", "hilarious", "laughed", "laughing", "snort*", "giggl*", "chuckl*", "funny",
        "ridiculous", "absurd", "sarcas*", "teas*", "banter", "smirk*", "rolled his eyes", "rolled her eyes",
    ), 6, 3.0, 0.4),
    _Theme("Romance", _ROMANCE_RE, 6, 3.0),
    _Theme("Friendship", _lexicon(
        "friend", "friends", "friendship", "best friend*", "mate", "mates", "pal", "buddy", "companion*",
    ), 4, 1.5, 0.45),
    _Theme("Disability", _lexicon(
        "wheelchair*", "wheel chair*", "push rims", "paralys*", "paralyz*", "paraplegi*", "quadripleg*",
        "tetrapleg*", "blind", "deaf", "amputee*", "amputat*", "prosthe*", "crutch*", "his cane", "her cane",
        "walking stick", "disabled", "disabilit*", "not walking", "can't walk", "couldn't walk",
        "never walk again", "sign language", "hearing aid*",
    ), 3, 0.5, 0.55),
    _Theme("Violence", _VIOLENCE_RE, 8, 4.0, 0.45),
    _Theme("Smut", _EXPLICIT_RE, 8, 2.0, 0.6),
    _Theme("Depression", _lexicon("depress*", "antidepressant*", "hopeless*", "worthless", "numb",
                                  "couldn't get out of bed", "didn't want to live"), 3, 0.5, 0.45),
    _Theme("Suicidal Thoughts", _lexicon("suicid*", "kill myself", "kill himself", "kill herself", "end it all",
                                         "end my life", "wanted to die", "want to die", "overdos*"), 2, 0.3, 0.5),
    _Theme("Alcohol", _lexicon("drunk*", "whisky", "whiskey", "vodka", "beer*", "wine", "booze", "pint*",
                               "bourbon", "scotch", "hangover", "tipsy", "gin", "rum"), 5, 1.5, 0.4),
    _Theme("Drug Use", _lexicon("cocaine", "heroin", "overdos*", "high on", "drugs", "needle*", "track marks",
                                "stoned", "joint", "weed", "morphine", "withdrawal"), 4, 1.0, 0.4),
    _Theme("Pregnancy", _lexicon("pregnan*", "midwife", "labour", "labor pains", "contraction*", "the baby",
                                 "newborn", "due date", "giving birth", "gave birth"), 4, 1.0, 0.45),
    _Theme("Kissing", _lexicon("kiss*", "snog*"), 5, 1.0, 0.45),
    _Theme("Christmas", _lexicon("christmas*", "xmas", "mistletoe"), 3, 1.0, 0.5),
    _Theme("Halloween", _lexicon("halloween", "trick or treat*", "jack-o'-lantern*"), 2, 0.5, 0.5),
)


# --------------------------------------------------------------------------
# Normalising declared values
# --------------------------------------------------------------------------

_RATING_ALIASES = {
    GENERAL: ("general audiences", "general", "g", "k", "k+", "pg", "all ages", "everyone"),
    TEEN: ("teen and up audiences", "teen and up", "teen", "teens", "t", "pg-13", "pg13", "pg 13", "13+"),
    MATURE: ("mature", "m", "r", "16+", "17+"),
    EXPLICIT: ("explicit", "e", "nc-17", "nc17", "nc 17", "ma", "x", "xxx", "18+", "adult", "adults only"),
    NOT_RATED: ("not rated", "unrated", "none"),
}
_RATING_LOOKUP = {alias: rating for rating, aliases in _RATING_ALIASES.items() for alias in aliases}

_CATEGORY_ALIASES = {
    "m/m": "M/M", "slash": "M/M", "f/f": "F/F", "femslash": "F/F", "femmeslash": "F/F", "f/m": "F/M",
    "m/f": "F/M", "het": "F/M", "gen": "Gen", "multi": "Multi", "other": "Other",
}


def normalise_rating(declared: str) -> str:
    """AO3 rating for a declared one ("PG-13" → Teen And Up Audiences); unknown → Not Rated."""
    key = re.sub(r"^rat(?:ed|ing)\s*:?\s*", "", declared.strip().casefold()).strip(" .;:!")
    return _RATING_LOOKUP.get(key, NOT_RATED)


def normalise_warning(declared: str) -> str | None:
    """AO3 archive warning for a declared one, or None when it is not one of the six."""
    key = declared.casefold()
    if re.search(r"cho{1,2}se not|not to use|not to warn|cntw|no warnings? given", key):
        return CHOSE_NOT_TO_WARN
    if re.search(r"^\s*(?:none|no warnings?(?: apply)?|n/?a)\s*\.?$|no archive warning", key):
        return NO_WARNINGS
    if re.search(r"graphic|violence|gore", key):
        return GRAPHIC_VIOLENCE
    if re.search(r"death|\bmcd\b", key):
        return CHARACTER_DEATH
    if re.search(r"rape|non-?\s?con", key):
        return NON_CON
    if "underage" in key:
        return UNDERAGE
    return None


def normalise_category(declared: str) -> str | None:
    """AO3 category for a declared one ("slash" → M/M), or None."""
    return _CATEGORY_ALIASES.get(declared.strip().casefold())


# --------------------------------------------------------------------------
# The suggester
# --------------------------------------------------------------------------


def suggest_tags(reading: Reading, canon: Canon) -> None:
    """Append tag suggestions to ``reading.suggestions`` (no duplicates per type).

    Needs the reading's front matter and chapters; uses ``reading.characters``
    and ``reading.narration`` when character analysis has run.
    """
    _Suggester(reading, canon).run()


class _Suggester:
    """One suggestion pass over one reading."""

    def __init__(self, reading: Reading, canon: Canon) -> None:
        self.reading = reading
        self.front = reading.front
        self.index = _CanonIndex(canon)
        self.text = _Text.of(reading)
        self.out = _Collector()
        self.found = sorted(reading.characters, key=lambda c: -c.mentions)  # characters found, most named first

    def run(self) -> None:
        """Suggest every tag type, fandoms first (the others look names up in them)."""
        self.fandoms()
        self.characters()
        self.relationships()
        self.rating()
        self.warnings()
        self.categories()
        self.freeforms()
        self.out.demote_hints(("fandom", "character", "relationship", "category"))
        known = {_key(s.type, s.name) for s in self.reading.suggestions}
        self.reading.suggestions += [s for s in self.out.all() if _key(s.type, s.name) not in known]

    # ---------------------------------------------------------------- fandom

    def fandom_names(self) -> list[str]:
        """Fandoms suggested so far, most confident first."""
        return [s.name for s in self.out.of_type("fandom")]

    def fandoms(self) -> None:
        """Declared fandoms (canonical when known) plus those the text points to.

        The best-supported fandom is always suggested; another joins it (a
        crossover) only with solid support of its own: a main character, a
        mention in the author's notes, or three terms the first fandom does
        not explain.
        """
        for label in self.front.fandoms:
            canonical = self.index.fandom_name(label)
            self.out.add("fandom", canonical or label, 0.97 if canonical else 0.9,
                         [_declared_line("Fandom", label)], declared=True)
        support = sorted((self.fandom_support(f) for f in self.index.fandoms), key=lambda s: -s.score)
        support = [s for s in support if s.score > 0]
        if not support:
            return
        top = support[0]
        self.out.add("fandom", top.name, top.confidence(), top.evidence)
        for other in support[1:]:
            own_mains = other.mains - top.characters
            own_terms = other.terms - top.terms
            if other.score >= 0.3 * top.score and (own_mains or other.named or len(own_terms) >= 3):
                self.out.add("fandom", other.name, 0.85 * other.confidence(), other.evidence)

    def fandom_support(self, fandom: Fandom) -> _FandomSupport:
        """What in the work points to ``fandom``: its characters, terms, its name in notes."""
        support = _FandomSupport(fandom.name)
        members = {bare_name(c.name) for c in fandom.characters}
        for character in self.found:
            if character.fandom != fandom.name and bare_name(character.name) not in members:
                continue
            support.characters.add(bare_name(character.name))
            if character.role == "main":
                support.mains.add(bare_name(character.name))
                support.score += 3.0
            else:
                support.score += 1.0 if character.mentions >= 2 else 0.3
            if len(support.evidence) < 2:
                support.evidence += self.character_evidence(character)[:1]
        if fandom.terms:
            terms = _lexicon(*fandom.terms, ignore_case=False)
            sentences = self.text.sentences
            found = Counter(m.group() for i in self.text.matches(terms) for m in terms.finditer(sentences[i]))
            support.terms = set(found)
            support.score += 0.6 * len(found) + 0.05 * min(sum(found.values()), 20)
            if found:
                support.evidence += self.text.hits(terms).evidence[:1]
        labels = [a for a in (fandom.name, *fandom.aliases) if len(a) > 2 and a not in self.index.character_names]
        named = _scan(_lexicon(*labels, ignore_case=False), self.text.author_lines)
        if named.count:
            support.named = True
            support.score += 4.0
            support.evidence = named.evidence[:1] + support.evidence
        support.evidence = support.evidence[:_EVIDENCE_LINES]
        return support

    # ------------------------------------------------------------- characters

    def character_evidence(self, character: Character) -> list[str]:
        """Story sentences naming ``character`` (any surface form seen)."""
        forms = list(character.aliases) or [character.name]
        return self.text.hits(_lexicon(*forms, ignore_case=False)).evidence

    def characters(self) -> None:
        """Declared characters normalised, and characters the story is about.

        A character who is only mentioned is offered at a confidence that
        grows with their mentions, but stays below pre-selection when they
        get under a twentieth of the most-named character's mentions: the
        landlady named a few times in a long story is there in passing.
        """
        fandoms = self.fandom_names()
        for label in self.front.characters:
            self.out.add("character", self.index.character(label, fandoms) or label, 0.95,
                         [_declared_line("Characters", label)], declared=True)
        likely_fandoms = {s.name for s in self.out.of_type("fandom") if s.confidence >= 0.5}
        most = max((c.mentions for c in self.found), default=0)
        for character in self.found:
            if not character.fandom and not _is_proper_name(character.name):
                continue  # a speaker known only by a description ("the teacher")
            if character.role == "main":
                confidence = 0.8 + min(character.mentions, 150) / 1000
            else:
                confidence = min(0.3 + 0.08 * character.mentions, 0.6)
                if character.mentions < _PASSING_SHARE * most:
                    confidence = min(confidence, _PASSING_CONFIDENCE)
            if not character.fandom:  # a speaker canon does not know: only the name as written
                confidence = min(confidence, 0.3 + 0.05 * character.quotes, 0.55)
            elif character.fandom not in likely_fandoms:  # a namesake from a fandom not in play
                confidence *= 0.5
            evidence = self.character_evidence(character) or [f"{character.name} speaks {character.quotes} times."]
            self.out.add("character", character.name, confidence, evidence)

    # ---------------------------------------------------------- relationships

    def relationships(self) -> None:
        """Declared pairings normalised, plus pairs the story brings together."""
        fandoms = self.fandom_names()
        for label in self.front.relationships:
            self.out.add("relationship", self.normalise_relationship(label, fandoms), 0.95,
                         [_declared_line("Relationships", label)], declared=True)
        for line in self.text.author_lines:
            for match in _PAIRING_RE.finditer(line):
                members = [self.index.character(m, fandoms) for m in re.split(r"\s*/\s*|\s+x\s+", match.group())]
                if all(members):
                    name = self.normalise_relationship("/".join(members), fandoms)
                    self.out.add("relationship", name, 0.8, [line])
        for pair, separator in self.inferred_pairs():
            evidence = pair.evidence if separator == "/" else pair.together
            self.out.add("relationship", pair.tag(separator, self.index, fandoms), pair.confidence(separator),
                         evidence or [f"{pair.shared} scenes together."])

    def normalise_relationship(self, label: str, fandoms: Sequence[str]) -> str:
        """Canonical tag for a declared pairing; unknown names kept as written."""
        separator, members = _members(label)
        if len(members) < 2:
            return label.strip()
        names = []
        for member in members:
            found = self.index.character(member, fandoms)
            names.append(bare_name(found) if found else member)
        canonical = self.index.relationship(names, fandoms, _KIND[separator])
        if canonical:
            names = list(canonical.members)
        return separator.join(names)

    def inferred_pairs(self) -> list[tuple[_Pair, str]]:
        """Pairs of prominent characters the story brings together, with their separator.

        Every paragraph where both are on stage is a shared scene; a shared
        scene that names one of them and carries a romance signal counts
        towards "/". A possessive partner reference the character search
        resolved ("your boyfriend" → Angel) is no romance signal for the
        scene: it supports only the pair it names (see
        :meth:`partner_references`). See :func:`_choose_pairs`.
        """
        cast = [c for c in self.found
                if (c.fandom or _is_proper_name(c.name)) and (c.role == "main" or c.mentions >= 3)]
        cast = cast[:8]
        named = self.presence(cast)
        stage = self.on_stage(named)
        resolved = [alias for c in self.found for alias in c.aliases if PARTNER_REFERENCE.fullmatch(alias)]
        romance = self.text.paragraph_hits(_ROMANCE_RE, unless=_lexicon(*resolved) if resolved else None)
        references: dict[frozenset[str], list[str]] = {}
        for owner, partner, line in self.partner_references(stage):
            references.setdefault(frozenset((owner, partner)), []).append(line)
        pairs = []
        for a, b in combinations(cast, 2):
            if a.role != "main" and b.role != "main":
                continue
            pair = _Pair(a, b, canon_type=self.canon_type(a, b), both_main=a.role == b.role == "main")
            for i in _together(stage[a.name], stage[b.name], len(self.text.paragraphs)):
                pair.shared += 1
                here_a, here_b = i in named[a.name], i in named[b.name]
                if here_a and here_b and len(pair.together) < _EVIDENCE_LINES:
                    pair.together.append(self.text.paragraphs[i][0])
                signal = romance.get(i)
                if signal and (here_a or here_b):
                    pair.romantic += 1
                    if len(pair.evidence) < _EVIDENCE_LINES:
                        pair.evidence += signal.evidence[:1]
            referenced = references.pop(frozenset((a.name, b.name)), [])
            pair.referenced = len(referenced)
            pair.evidence = _unique(pair.evidence + referenced)[:_EVIDENCE_LINES]
            pairs.append(pair)
        found = {c.name: c for c in self.found}
        for members, lines in references.items():  # a partner named too rarely to be in the cast
            if members <= found.keys():
                a, b = (found[name] for name in sorted(members))
                pairs.append(_Pair(a, b, canon_type=self.canon_type(a, b), both_main=False,
                                   referenced=len(lines), evidence=_unique(lines)[:_EVIDENCE_LINES]))
        return _choose_pairs(pairs)

    def partner_references(self, stage: dict[str, set[int] | None]) -> Iterator[tuple[str, str, str]]:
        """(owner, partner, sentence) for each possessive partner reference inside a quotation.

        "my X" belongs to the quotation's speaker, "your X" to its addressee
        (when attribution found none: the one other character of ``stage``
        on stage); the partner is the character the character search resolved
        that very phrase to. So Spike saying "your boyfriend" to Buffy, about Angel,
        supports Buffy/Angel and nothing involving Spike. References in
        narration, or whose owner or partner is unclear, support nothing.
        """
        partner_of: dict[str, set[str]] = {}
        for character in self.found:
            for alias in character.aliases:
                partner_of.setdefault(" ".join(alias.split()).casefold(), set()).add(character.name)
        quotes: dict[tuple[int, int], list[Quote]] = {}
        for quote in self.reading.quotes:
            quotes.setdefault((quote.chapter, quote.paragraph), []).append(quote)
        for p in sorted({self.text.paragraph_of[i] for i in self.text.matches(_PARTNER_REFERENCE_RE)}):
            chapter, number = self.text.places[p]
            text = self.reading.chapters[chapter].paragraphs[number].text
            for match in PARTNER_REFERENCE.finditer(text):
                quote = next((q for q in quotes.get((chapter, number), ()) if q.start <= match.start() < q.end), None)
                if quote is None:
                    continue
                phrase = " ".join(match.group().split())
                partners = list(partner_of.get(phrase.casefold(), ()))
                if len(partners) != 1:
                    continue
                owner = quote.speaker if match.group(1).lower() == "my" else None
                if match.group(1).lower() == "your":
                    owner = quote.addressee or _only(
                        name for name, where in stage.items()
                        if name not in (quote.speaker, partners[0]) and (where is None or p in where))
                if owner is None or owner == partners[0]:
                    continue
                sentences = self.text.paragraphs[p]
                yield owner, partners[0], next((s for s in sentences if phrase in s), sentences[0])

    def presence(self, cast: Sequence[Character]) -> dict[str, set[int]]:
        """Per cast member, the paragraphs that name them (by any alias seen)."""
        return {c.name: self.text.paragraphs_naming(_lexicon(*(c.aliases or [c.name]), ignore_case=False))
                for c in cast}

    def on_stage(self, named: dict[str, set[int]]) -> dict[str, set[int] | None]:
        """Per cast member, the paragraphs where they are on stage: named there or in the two before.

        The point-of-view character is on stage throughout (None: every paragraph).
        """
        pov = self.reading.narration.pov_character
        count = len(self.text.paragraphs)
        return {name: None if name == pov else {j for i in where for j in range(i, min(i + 3, count))}
                for name, where in named.items()}

    def canon_type(self, a: Character, b: Character) -> str | None:
        """How canon relates the pair: "romantic", "platonic", "family" or None (unknown).

        Romantic wins when canon lists both kinds. Two characters sharing a
        family name ("Mycroft Holmes", "Mummy" alias "Mrs. Holmes") that canon
        does not list are "family": never paired romantically either.
        """
        fandoms = self.fandom_names()
        members = {bare_name(a.name), bare_name(b.name)}
        types = {
            relationship.type
            for fandom in self.index.fandoms if fandom.name in fandoms
            for relationship in fandom.relationships if set(relationship.members) == members
        }
        if "romantic" in types:
            return "romantic"
        if types:
            return "platonic"
        return "family" if self.family_names(a) & self.family_names(b) else None

    def family_names(self, character: Character) -> set[str]:
        """Last words of the character's full name and of canon's multi-word names for them."""
        fandom = self.index.canon.fandoms.get(character.fandom)
        known = fandom.character(character.name) if fandom else None
        names = [bare_name(name) for name in (character.name, *(known.aliases if known else ()))]
        return {name.split()[-1] for name in names if len(name.split()) > 1 and name[:1].isupper()}

    # ---------------------------------------------------------------- rating

    def rating(self) -> None:
        """Declared rating normalised; otherwise a reading of sex, violence and language."""
        if self.front.rating:
            self.out.add("rating", normalise_rating(self.front.rating), 0.97,
                         [_declared_line("Rating", self.front.rating)], declared=True)
            return
        rating, confidence, evidence = self.inferred_rating()
        self.out.add("rating", rating, confidence, evidence)

    def inferred_rating(self) -> tuple[str, float, list[str]]:
        """The lowest rating the text's strongest content allows (threshold counts)."""
        words = self.text.words
        if not self.text.judgeable:
            return NOT_RATED, 0.3, [f"Too little English text to rate ({words} words read)."]
        explicit = self.text.hits(_EXPLICIT_RE)
        sensual = self.text.hits(_SENSUAL_RE)
        strong = self.text.hits(_STRONG_SWEAR_RE)
        mild = self.text.hits(_MILD_SWEAR_RE)
        violence = self.text.hits(_VIOLENCE_RE)
        gore = self.text.hits(_GORE_RE)
        if explicit.count >= 6:
            return EXPLICIT, min(0.55 + 0.02 * explicit.count, 0.85), explicit.evidence
        sustained_violence = violence.count >= 20 and violence.per_thousand(words) >= 8.0
        if explicit.count >= 2 or gore.count >= _GRAPHIC_GORE or sensual.count >= 8 or sustained_violence:
            return MATURE, 0.5, (explicit.evidence or gore.evidence or sensual.evidence or violence.evidence)
        if strong.count >= 2 or violence.count >= 5 or sensual.count >= 2 or mild.count >= 4 or gore.count:
            evidence = strong.evidence[:1] + violence.evidence[:1] + sensual.evidence[:1] + mild.evidence[:1]
            return TEEN, 0.55, evidence
        return GENERAL, 0.5, [
            f"No explicit sex, strong language or notable violence found in {words} words of story."
        ]

    # -------------------------------------------------------------- warnings

    def warnings(self) -> None:
        """Declared warnings normalised; otherwise cautious inference.

        Strong warnings need evidence; "No Archive Warnings Apply" is only
        offered for clearly light texts, and when in doubt the suggestion is
        "Creator Chose Not To Use Archive Warnings".
        """
        if self.front.warnings:
            for label in self.front.warnings:
                warning = normalise_warning(label)
                if warning:
                    self.out.add("warning", warning, 0.97, [_declared_line("Warnings", label)], declared=True)
                else:
                    self.out.add("freeform", label, 0.85, [_declared_line("Warnings", label)], declared=True)
            return
        dark = False
        gore = self.text.hits(_GORE_RE)
        if gore.count >= _GRAPHIC_GORE and gore.per_thousand(self.text.words) >= 1.0:
            self.out.add("warning", GRAPHIC_VIOLENCE, 0.45 + min(gore.count, 20) / 50, gore.evidence)
            dark = True
        deaths = self.deaths
        if deaths.count >= 2:
            self.out.add("warning", CHARACTER_DEATH, 0.4 + min(deaths.count, 10) / 40, deaths.evidence)
            dark = True
        non_con = self.text.hits(_NON_CON_RE)
        if non_con.count >= 2:
            self.out.add("warning", NON_CON, 0.4 + min(non_con.count, 10) / 40, non_con.evidence)
            dark = True
        minors = self.text.hits(_MINOR_RE, within=self.text.matches(_EXPLICIT_RE))
        if minors.count:
            self.out.add("warning", UNDERAGE, 0.35, minors.evidence)
            dark = True
        violence = self.text.hits(_VIOLENCE_RE)
        light = (
            not dark
            and non_con.count == 0
            and deaths.count == 0
            and violence.per_thousand(self.text.words) < 3.0
            and self.text.judgeable
        )
        if light:
            self.out.add("warning", NO_WARNINGS, 0.55, [
                f"No violence, death, non-consent or underage content found in {self.text.words} words."
            ])
        else:
            evidence = (violence.evidence or non_con.evidence or deaths.evidence or
                        ["Too little text, or darker content, to rule warnings out."])
            self.out.add("warning", CHOSE_NOT_TO_WARN, 0.6 if not dark else 0.5, evidence)

    @cached_property
    def deaths(self) -> _Hits:
        """Sentences where a main character dies or is dead.

        A main character is recognised by the names the story used for them
        and by their canon epithets ("the detective").
        """
        names: list[str] = []
        for character in self.found:
            if character.role == "main":
                names += list(character.aliases or [character.name])
                names += self.index.epithets(character.name, character.fandom)
        if not names:
            return _Hits()
        who = r"(?:" + "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True)) + r")"
        pattern = re.compile(
            rf"\b{who}(?:['’]s)?\b[^.!?]{{0,40}}\b{_DEATH_VERB}"
            rf"|\b(?:{'|'.join(_KILLING)})\s+{who}\b"
            rf"|\b{who}['’]s\s+(?:{'|'.join(_REMAINS)})\b",
            re.I,
        )
        named = _keys(names)
        deadly = _keys(_DEATH_PHRASES, open_end=True) + _keys((*_KILLING, *_REMAINS))
        return self.text.hits(_Lexicon(pattern, None if named is None else (named, deadly)))

    # ------------------------------------------------------------ categories

    def categories(self) -> None:
        """Declared categories normalised, plus the one the pairings imply."""
        for label in self.front.categories:
            category = normalise_category(label)
            self.out.add("category", category or label, 0.95 if category else 0.85,
                         [_declared_line("Category", label)], declared=True)
        kinds: dict[str, list[str]] = {}
        for suggestion in self.out.of_type("relationship"):
            separator, members = _members(suggestion.name)
            if separator != "/" or suggestion.confidence < 0.5:
                continue
            genders = [self.index.gender(self.full_name(m)) for m in members]
            kind = _category_of(genders)
            kinds.setdefault(kind, []).append(suggestion.name)
        if not kinds:
            if self.found or self.out.of_type("character"):
                self.out.add("category", "Gen", 0.45, ["No romantic or sexual pairing found."])
            return
        known = {k: v for k, v in kinds.items() if k != "Other"}
        for kind, pairings in (known or kinds).items():
            self.out.add("category", kind, 0.7 if len(known) <= 1 else 0.55, [f"Pairing: {p}" for p in pairings])
        if len(known) > 1:
            self.out.add("category", "Multi", 0.6, [f"Pairing: {p}" for v in known.values() for p in v])

    def full_name(self, member: str) -> str:
        """The character name (with disambiguator) a relationship member stands for."""
        for character in self.found:
            if bare_name(character.name) == member:
                return character.name
        return self.index.character(member, self.fandom_names()) or member

    # ------------------------------------------------------------- freeforms

    def freeforms(self) -> None:
        """Declared freeforms as written, continuity statements, and themes."""
        for label in self.front.freeforms:
            self.out.add("freeform", label, 0.9, [_declared_line("Additional Tags", label)], declared=True)
        self.continuity()
        words = self.text.words
        for theme in _THEMES if self.text.judgeable else ():
            hits = self.text.hits(theme.pattern)
            density = hits.per_thousand(words)
            if hits.count >= theme.min_hits and density >= theme.per_thousand:
                strength = min(density / theme.per_thousand, 4.0) / 4.0
                self.out.add("freeform", theme.tag, theme.base_confidence + 0.3 * strength, hits.evidence)
        deaths = self.deaths
        if deaths.count >= 2:
            self.out.add("freeform", "Character Death", 0.45, deaths.evidence)
        if len([s for s in self.out.of_type("fandom") if s.confidence >= 0.5]) >= 2:
            self.out.add("freeform", "Crossover", 0.6, [f"Fandom: {s.name}" for s in self.out.of_type("fandom")])

    def continuity(self) -> None:
        """AU / canon-compliance / placement tags from the author's own statements."""
        lines = _unique([*self.front.continuity, *self.text.author_lines])
        setting = _unique([*self.front.setting, *lines])
        au = _scan(_AU_RE, lines)
        alternate = _scan(_ALT_UNIVERSE_RE, lines)
        compliant = _scan(_COMPLIANT_RE, lines)
        divergence = _scan(_DIVERGENCE_RE, lines)
        if au.count or alternate.count:
            evidence = au.evidence + alternate.evidence
            self.out.add("freeform", "Alternate Universe", 0.75, evidence)
        if divergence.count and (au.count or alternate.count or "canon" in " ".join(divergence.evidence).lower()):
            self.out.add("freeform", "Alternate Universe - Canon Divergence", 0.5, divergence.evidence)
        if compliant.count:
            hedged = any(_HEDGE_RE.search(line) for line in compliant.evidence)
            confidence = 0.45 if hedged or au.count or alternate.count else 0.75
            self.out.add("freeform", "Canon Compliant", confidence, compliant.evidence)
        for tag, pattern in (("Missing Scene", _MISSING_SCENE_RE), ("Post-Canon", _POST_CANON_RE),
                             ("Pre-Canon", _PRE_CANON_RE)):
            hits = _scan(pattern, lines)
            if hits.count:
                self.out.add("freeform", tag, 0.6, hits.evidence)
        episodes = [line for line in setting if _EPISODE_RE.search(line)]
        if episodes:
            stated = any(_SETTING_RE.search(line) for line in episodes)
            self.out.add("freeform", "Episode Related", 0.5 if stated else 0.4, episodes)


@dataclass
class _FandomSupport:
    """Evidence the work belongs to one fandom."""

    name: str
    score: float = 0.0
    characters: set[str] = field(default_factory=set)  # bare names found
    mains: set[str] = field(default_factory=set)  # ... of which main characters
    terms: set[str] = field(default_factory=set)  # distinct fandom terms in the story
    named: bool = False  # the author's notes name the fandom
    evidence: list[str] = field(default_factory=list)

    def confidence(self) -> float:
        """Rises with the score, saturating near 0.95."""
        return 0.35 + 0.6 * (1 - math.exp(-self.score / 6))


def _together(first: set[int] | None, second: set[int] | None, count: int) -> Iterable[int]:
    """The paragraphs, in order, in both sets of ``count`` paragraphs (None: every paragraph)."""
    if first is None or second is None:
        return range(count) if first is second else sorted(first if second is None else second)
    return sorted(first & second)


def _category_of(genders: Sequence[str]) -> str:
    """AO3 category of one romantic pairing from its members' genders."""
    if "" in genders:
        return "Other"
    males, females = genders.count("m"), genders.count("f")
    if females == 0:
        return "M/M"
    if males == 0:
        return "F/F"
    return "F/M" if len(genders) == 2 else "Multi"


@dataclass
class _Pair:
    """Two characters and what the story shows between them."""

    a: Character
    b: Character
    canon_type: str | None  # "romantic"/"platonic" as canon lists them, "family" by a shared family name
    both_main: bool
    shared: int = 0  # paragraphs where both are on stage
    romantic: int = 0  # ... of which carry a romance signal
    referenced: int = 0  # times one is called the other's partner ("your boyfriend", said to one about the other)
    evidence: list[str] = field(default_factory=list)  # romantic lines
    together: list[str] = field(default_factory=list)  # lines of paragraphs naming both

    @property
    def romance(self) -> float:
        """Romantic scenes, weighted by canon: a canon pairing needs less, a friendship or family tie never pairs."""
        if self.canon_type in ("platonic", "family"):
            return 0.0
        return (self.romantic + self.referenced) * (1.5 if self.canon_type == "romantic" else 1.0)

    def confidence(self, separator: str) -> float:
        """Higher with more romantic (or shared) scenes, and when canon knows the pair.

        Offered below the pre-selection threshold: a pair only ever called
        partners, never shown romantically (background: an ex, an absent
        spouse); and a friendship between characters canon pairs romantically,
        since a text with no romance words cannot tell friends from a couple
        whose romance is implicit.
        """
        known = 0.1 if self.canon_type in ("romantic", "platonic") else 0.0
        if separator == "/":
            confidence = 0.45 + 0.3 * (1 - math.exp(-self.romance / 6)) + known
            return confidence if self.romantic else min(confidence, _BACKGROUND_CONFIDENCE)
        confidence = 0.4 + 0.1 * (1 - math.exp(-self.shared / 20)) + known
        return confidence if self.canon_type != "romantic" else min(confidence, _BACKGROUND_CONFIDENCE)

    def tag(self, separator: str, index: _CanonIndex, fandoms: Sequence[str]) -> str:
        """AO3 tag for the pair, in canon's order when canon lists it."""
        names = [bare_name(self.a.name), bare_name(self.b.name)]
        canonical = index.relationship(names, fandoms, _KIND[separator])
        if canonical:
            names = list(canonical.members)
        return separator.join(names)


_BACKGROUND_CONFIDENCE = 0.45  # a pairing only mentioned, or a friendship canon also ships: not pre-selected
_MIN_ROMANTIC_SCENES = 3  # romantic scenes a "/" needs ...
_MIN_ROMANTIC_SCENES_CANON = 1  # ... or when canon already pairs them romantically
_RIVAL_SHARE = 0.5  # ... and this share of the strongest pair's
_TRIANGLE_SHARE = 0.8  # a second partner needs this share of the first's
_MIN_SHARED_GEN = 10  # shared scenes for a friendship in a story without romance


def _choose_pairs(pairs: Sequence[_Pair]) -> list[tuple[_Pair, str]]:
    """Which pairs to suggest, as (pair, separator).

    Romance words in a group scene touch every pair present, so romantic
    pairs are taken strongest first: a pair needs a few romantic scenes
    (one, for a pairing canon already knows; a partner reference counts as one)
    and half the strongest pair's romance, and a character already paired needs
    a rival nearly as strong (a love triangle) before gaining a second partner.
    A story with no romance gets its central friendships or family ties (both
    main characters, many shared scenes) as " & ". Pairs only ever called
    partners (never platonic in canon) come last, as background pairings.
    """
    ranked = sorted((p for p in pairs if p.romantic), key=lambda p: -p.romance)
    strongest = ranked[0].romance if ranked else 0.0
    partnered: dict[str, float] = {}
    chosen: list[tuple[_Pair, str]] = []
    for pair in ranked:
        if pair.romance == 0 or pair.romance < _RIVAL_SHARE * strongest:
            break
        needed = _MIN_ROMANTIC_SCENES_CANON if pair.canon_type == "romantic" else _MIN_ROMANTIC_SCENES
        if pair.romantic + pair.referenced < needed:
            continue
        rival = max(partnered.get(pair.a.name, 0.0), partnered.get(pair.b.name, 0.0))
        if pair.romance < _TRIANGLE_SHARE * rival:
            continue
        for member in (pair.a.name, pair.b.name):
            partnered[member] = max(partnered.get(member, 0.0), pair.romance)
        chosen.append((pair, "/"))
    if not chosen:
        chosen = [(p, " & ") for p in pairs if p.both_main and p.shared >= _MIN_SHARED_GEN]
    background = [p for p in pairs if p.referenced and not p.romantic and p.romance]
    return chosen + [(p, "/") for p in background]


def _only(items: Iterable[str]) -> str | None:
    """The single item, or None when there are none or several."""
    found = list(islice(items, 2))
    return found[0] if len(found) == 1 else None


def _is_proper_name(name: str) -> bool:
    """A character name rather than a description ("the teacher", "his brother")."""
    first = name.split()[0] if name.split() else ""
    return bool(first) and first[0].isupper() and first.lower() not in _DETERMINERS


_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "my", "your", "our", "its", "this", "that"})
