"""Quotations and who says them.

:func:`find_quotations` locates direct speech in a chapter's paragraphs
(double, curly and single quotes, dash dialogue, quotes running over several
paragraphs) and :func:`attribute_quotes` decides the speaker of each one from
the narration around it, using a :class:`Cast` of known characters.

Attribution tries, in order: a say-verb clause next to the quote ("Spike
asks", "says Giles", "he tells her"; pronouns go to the latest character of
that gender; a clause ending in a colon introduces its subject's speech
even without one), the same paragraph's other attributed quotes, a say-verb
clause earlier in the paragraph ("he answers for her."), the character doing
things in the paragraph (an action beat; the subject of the sentence just
before a quote first), and finally turn-taking between the last two
speakers (re-phased when the exchange runs into a named speaker out of
step); a quote still without a speaker is its neighbour's.  A name used as a vocative inside a quote ("Spike," she says) is
the addressee, never the speaker, and a quote addressed to the one who just
spoke, or calling a third person by name after its first words, is the
answer of the one that speaker addressed.  Described people
("The woman did not answer", "said his uncle", "the doctor") are tracked
like names: a title held by one character names them, and pronouns can
point at them; a "he" or "she" with no one of that gender in sight is one
unnamed person ("the man"), and an indefinite one ("somebody exclaimed",
"cried one of the women") someone not met before.  Unnamed speakers (the
first-person narrator, "the old man") take the name others call them by
when the genders agree.
Each :class:`~fanarchive.reading.model.Quote` records the ``method`` used
and a ``confidence``.

Pure Python and linear in the length of the text: every scan moves forward
and every look-back is bounded.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from fanarchive.reading.model import Quote, Reading
from fanarchive.reading.patterns import by_first_letter

# ---------------------------------------------------------------- vocabulary

_SAY_BASES = """
say ask tell shout growl sneer taunt command whisper mutter reply snap answer
respond cry call exclaim yell scream murmur mumble hiss snarl bark demand
inquire enquire add continue remark observe explain insist protest admit agree
suggest repeat retort return rejoin interrupt interject laugh chuckle giggle
sigh groan moan gasp breathe sob plead beg warn announce declare state note
offer promise assure joke tease mock scoff snort grumble complain whine purr
drawl croak rasp squeak shriek squeal roar bellow thunder stammer stutter blurt
whimper grunt huff quip counter correct confess concede acknowledge begin
resume pursue chime prompt urge order instruct query question muse venture
persist press soothe coax greet inform reassure sing speak recite intone pray
swear curse ejaculate cackle wail howl lament scold chide reason admonish
conclude interpose mimic echo finish smirk grin sniff rumble think
""".split()

_IRREGULAR_PAST = {
    "say": "said", "tell": "told", "speak": "spoke", "begin": "began",
    "swear": "swore", "think": "thought", "sing": "sang", "snap": "snapped", "sob": "sobbed",
    "beg": "begged", "quip": "quipped", "grin": "grinned", "chat": "chatted",
    "admit": "admitted", "regret": "regretted", "fret": "fretted", "plead": "pleaded",
}


def _inflections(base: str) -> set[str]:
    """Third-person present and past forms of a regular English verb."""
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = base + "es"
    elif base.endswith("y") and base[-2] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    if base in _IRREGULAR_PAST:
        past = _IRREGULAR_PAST[base]
    elif base.endswith("e"):
        past = base + "d"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past = base[:-1] + "ied"
    else:
        past = base + "ed"
    return {third, past}


# Verbs of speaking whose present forms are common nouns ("hints", "objects",
# "challenges") or seldom tag speech ("asserts"): only their past forms
# attribute speech.
_SAY_PASTS = """
hinted commented objected reflected argued advised cautioned confided entreated
implored proposed reminded remonstrated faltered panted lisped jeered volunteered
bawled sputtered spluttered cajoled snickered tittered chirped cooed babbled
assented stormed quoth challenged asserted
""".split()

SAY_VERBS: frozenset[str] = frozenset(
    [form for base in _SAY_BASES for form in _inflections(base)] + _SAY_PASTS
)
"""Inflected verbs of speaking ("says", "asked", "growls" …)."""

# "went on", "put in", "broke in": a verb and particle that introduce speech together
PHRASAL_SAY = {"went": "on", "goes": "on", "put": "in", "puts": "in", "broke": "in",
               "breaks": "in", "cut": "in", "cuts": "in", "chimed": "in", "chimes": "in"}
_PHRASAL_STARTS = frozenset(PHRASAL_SAY)

_SUBJECT_PRONOUNS = frozenset({"he", "she", "i"})
_GENDER_PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "its", "your", "this", "that"}
_HONORIFIC_GENDER = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "master": "m", "uncle": "m",
    "father": "m", "king": "m", "prince": "m", "count": "m", "duke": "m", "monsieur": "m",
    "mrs": "f", "miss": "f", "ms": "f", "lady": "f", "madam": "f", "madame": "f",
    "mme": "f", "mlle": "f", "aunt": "f", "mother": "f", "queen": "f", "princess": "f",
    "dame": "f", "sister": "f",
}
_TITLES = set(_HONORIFIC_GENDER) | {"dr", "doctor", "captain", "capt", "colonel", "col",
                                    "professor", "prof", "rev", "st", "saint", "general",
                                    "sergeant", "sgt", "lieutenant", "lt", "major", "corporal",
                                    "inspector", "constable", "detective", "judge", "reverend",
                                    "agent", "commander", "admiral", "ensign", "sheriff", "officer"}
# Abbreviated titles as the word a description would use ("the doctor").
_TITLE_WORDS = {"dr": "doctor", "capt": "captain", "col": "colonel", "prof": "professor",
                "rev": "reverend", "gen": "general", "lt": "lieutenant", "sgt": "sergeant"}
_NOUN_GENDER = {
    **{w: "m" for w in "man boy gentleman father brother son husband uncle king lord "
       "fellow lad monk priest duke prince sir master youth squire nephew grandfather".split()},
    **{w: "f" for w in "woman girl lady mother sister daughter wife aunt queen maid "
       "widow mistress princess duchess niece grandmother landlady".split()},
}
# People named by role rather than sex ("The doctor came back."): a
# description opening a sentence with one of these is a person too.
_ROLE_NOUNS = frozenset("""
doctor stranger servant child visitor officer soldier captain clerk driver guard traveller traveler
pedestrian waggoner wagoner keeper porter sergeant constable judge cook coachman footman butler
boatman fisherman farmer shepherd hunter prisoner convict detective inspector student teacher
professor nurse clergyman parson vicar rector curate priest waiter waitress governess housekeeper
landlord sailor colonel major general lieutenant gardener innkeeper shopkeeper merchant surgeon physician
""".split())
# Roles of the one sex in the novels' world ("The nurse came back. She …"):
# a description ending in one is of that sex for pronouns, though the word
# is no sex of its own to match a named character by.
_ROLE_SEX = {
    **{w: "f" for w in "nurse governess waitress housekeeper".split()},
    **{w: "m" for w in "clergyman parson vicar rector curate waiter butler footman coachman".split()},
}
# Head nouns a narrator alternates for one person ("the lad" … "the boy"):
# a new description whose head shares a set with a described person in
# sight, with no adjective of its own missing from theirs, is that person
# ("the child" is a boy or girl in sight).
_SYNONYM_SET = {
    **{w: "boy" for w in "boy lad youth youngster".split()},
    **{w: "girl" for w in "girl lass maiden".split()},
    **{w: "lady" for w in "lady woman dame".split()},
}
# Words for a child of either sex: the same person as a described boy or girl in sight
_CHILD_WORDS = frozenset({"child", "infant"})
_CHILD_HEADS = frozenset({"boy", "girl"})
_ADULTS = frozenset({"man", "woman", "gentleman", "lady"})  # what a narrator calls the unnamed
_PERSON_NOUNS = frozenset(_NOUN_GENDER) | _ROLE_NOUNS
_PERSON_WORDS = _PERSON_NOUNS | {"companion", "friend", "cousin", "neighbour", "neighbor"}
_GROUPS = {"men", "women", "children", "people", "folk", "crowd", "company", "party"}
_PARENTS_AND_SPOUSES = {"mother", "father", "wife", "husband"}
_MARITAL_TITLES = {"mr", "mrs", "miss", "ms", "master", "madame", "mme", "mademoiselle", "mlle", "monsieur"}
_MARRIED_TITLES = {"mr", "mrs", "lady", "sir", "lord", "madame", "monsieur", "mme"}
_ELDER_TITLES = {"uncle", "aunt", "father", "mother"}
_PARTNER_WORDS = {"companion", "comrade", "cousin"}  # "replied his cousin": the other one he talks with
_FAMILY_ROLES = {"mother", "father", "wife", "husband", "aunt", "uncle", "son", "daughter",
                 "sister", "brother", "grandmother", "grandfather", "mistress", "master"}
_NP_STOP = {"to", "in", "at", "with", "and", "as", "who", "from", "of", "on", "into",
            "but", "then", "when", "while", "for", "after", "before", "again", "quietly",
            "whose", "which", "that", "below", "above", "there", "here", "now",
            "was", "were", "is", "are", "be", "been", "had", "has", "have", "would", "could",
            "should", "will", "shall", "did", "does", "do", "might", "must", "can"}
_CLAUSE_OPENERS = {"and", "but", "then", "as", "when", "while"}
_SUBORDINATORS = {"when", "while", "as", "because", "though", "although", "if", "until", "since", "whenever"}
# Verbs after "a man" that make a statement about anyone ("A woman should …",
# "When a girl leaves home …"), not the narrative introduction of someone
_GENERIC_VERBS = frozenset("is has does should must can may will cannot might ought".split())
_FREQUENCY_ADVERBS = frozenset("always never often seldom sometimes usually".split())
_REPLY_VERBS = {"answered", "answers", "replied", "replies", "returned", "returns", "rejoined",
                "rejoins", "retorted", "retorts", "responded", "responds"}
# "he added", "she went on": words going on from the same speaker's last ones
_GOING_ON_WORDS = {"added", "adds", "continued", "continues", "resumed", "resumes", "on"}
_REPORTED = {"that", "whether", "if", "how", "nothing"}  # "replied that …": reported, not quoted
_NEGATIONS = {"not", "never", "n't", "didn't", "doesn't", "don't", "won't", "wouldn't",
              "couldn't", "can't", "cannot"}
# Capitalised words that begin sentences or address people but are not names.
_NOT_NAMES = set("""
I I'm I'll I've I'd The A An He She It We They You My Your His Her Our Their Its This
That These Those There Here Then Now When Where What Who Why How Which While If But And
Or So Yet For Nor Not No Yes Oh Ah Well Very Just All Some Any Every Each Both Either
Neither One Two Three Mr Mrs Ms Miss Dr Sir Lady Lord Chapter Part Book Monday Tuesday
Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December God Heaven Hell OK Okay Hey Hello Please
Thank Thanks Let Don't Can't Won't Is Are Was Were Do Does Did Have Has Had Be As At In
On Of To By With From Into After Before Once Still Even Only Perhaps Maybe Though
Although Because Since Until Unless Whether Why Whatever However Again Soon Later Nothing
Something Everything Anything Everyone Someone Nobody Somebody Everybody Good Come Go See
Look Say Tell Ask Mother Father Aunt Uncle Madam Mister Master Sister Brother English
French Christian Dear Dearest Darling Poor
""".split())
_NOT_NAMES |= {w.replace("'", "’") for w in _NOT_NAMES}  # curly apostrophes too

# Common English pet forms of given names (formal name: pet forms), so that
# "Lizzy" and "Elizabeth Bennet", "Harry" and "Lord Henry Wotton" are one
# person.  Pet forms shared by two formal names (Ted, Bert, Kit) are left out.
_PET_FORMS = """
Elizabeth: Liz Lizzy Lizzie Beth Betsy Betsey Bess Bessie Betty Eliza Libby
Margaret: Meg Maggie Peggy Madge Marge Margie
Katherine: Katharine Catherine Kate Kitty Katie Kathy Cathy
Mary: Molly Polly Mamie
Sarah: Sally Sadie
Anne: Ann Anna Annie Nan Nancy Nanny
Dorothy: Dolly Dot Dottie
Susan: Susanna Susannah Sue Susie Suky
Frances: Fanny
Eleanor: Nell Nelly Nellie Ellie
Charlotte: Lottie Lotty
Caroline: Carrie Caddy
Jane: Jenny Jennie Janey
Harriet: Hattie Hatty
Rebecca: Becky
Henrietta: Etta
William: Will Willie Willy Bill Billy
Robert: Rob Robbie Bob Bobby
Richard: Dick Dickie Dicky Rick Ricky
Henry: Harry Hal Hank
Edward: Ned Neddy Eddie
James: Jim Jimmy Jimmie Jamie Jem
John: Jack Johnny Jacky
Thomas: Tom Tommy
Charles: Charlie Charley
Joseph: Joe Joey
Samuel: Sam Sammy
Benjamin: Ben Benny
Michael: Mike Mick Micky Mickey
Nicholas: Nick Nicky
Anthony: Tony
Alexander: Alex Alec Sandy
Frederick: Fred Freddy Freddie
Francis: Frank Frankie
Daniel: Dan Danny
David: Dave Davy
Andrew: Andy
Lawrence: Larry
Stephen: Steve
Timothy: Tim Timmy
Philip: Phil Pip
Archibald: Archie
Augustus: Gus
Abraham: Abe
"""
_FORMAL_NAME = {pet: formal for line in _PET_FORMS.strip().splitlines()
                for formal, pets in [line.split(":")] for pet in pets.split()}

_PLACE_PREPOSITIONS = {"in", "at", "into", "from", "near", "towards", "toward", "through", "across"}
# Words that precede places, groups and adjectives ("in Bohemia", "the
# Elphbergs", "his Bohemian soul") far more often than people's names.
_NOT_BEFORE_PEOPLE = _PLACE_PREPOSITIONS | {"the", "a", "an", "his", "her", "their", "its", "our",
                                            "your", "whole", "this", "these", "those"}
_PLACE_WORDS = tuple(" " + w for w in """Street Road Lane Square Park Hall House Court Place
Abbey Castle Church Hill River Bridge Station Hotel Inn Avenue Terrace Gardens Row Common
Island Street's Manor Farm Mountains Sea Lake Valley City County Town""".split())

_TOKEN_RE = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|Capt|Col|Gen|Lt|Rev|Prof)\."
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*"
    r"|[^\w\s]"
)
_SENTENCE_END = {".", "!", "?", ";"}
_ELISIONS = {"m", "em", "round", "cause", "til", "tis", "twas", "bout", "im", "er", "ere",
             "e", "ave", "ad", "alf", "ow", "ello", "n", "s", "ll", "re", "ve", "d", "t",
             "un", "appen", "nuff", "course", "kay", "cos", "coz", "fore", "neath", "tween"}
_DOUBLE_OPEN, _DOUBLE_CLOSE = "“„", "”"
_SINGLE_OPEN = "‘"
_SINGLE_MARKS = "'’"
_STRAIGHT_DOUBLE = '"'
NARRATOR = "narrator"
"""Speaker name for first-person narration ("I said") when the cast has none."""


def _epithet_key(description: str) -> str:
    """Lookup key of an epithet: lower case, without a leading "the"."""
    words = description.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _possessed(word: str) -> str:
    """A word without its possessive ending ("man's" → "man")."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _norm_key(surface: str) -> str:
    """Dictionary key for a name: no periods, single spaces, no possessive."""
    key = re.sub(r"['’]s$", "", surface.strip())
    return " ".join(key.replace(".", " ").split())


class _Token:
    """A word or punctuation mark.

    ``low`` (lower case, no trailing period), ``capitalised`` (starts with
    a capital but is not shouted: "Spike", not "WILL"), ``name_like``
    (a capitalised word, not a mark: can be part of a name),
    ``speech_verb`` (a say-verb, or the "went" of "went on", the "put" of
    "put in"), ``kind`` (what narration tracking cares about) and
    ``breaks_clause`` (a mark or a word opening a new clause: "and",
    "when") are computed once per distinct word: tokens are shared
    through :func:`_tokens`' cache.
    """

    __slots__ = ("text", "low", "capitalised", "name_like", "speech_verb", "kind", "breaks_clause")

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = low = text.lower().rstrip(".")
        self.capitalised = text[:1].isupper() and not (len(text) > 1 and text.isupper())
        self.name_like = self.capitalised and text[0].isalpha()
        self.speech_verb = low in SAY_VERBS or low in _PHRASAL_STARTS
        # what narration tracking cares about: sentence ends, determiners (and the
        # "one" of "One girl stood apart"), pronouns, say-verbs
        self.kind = ("end" if text in _SENTENCE_END else "det" if low in _DETERMINERS
                     else "one" if low == "one" else "I" if text == "I" else "pron" if low in _GENDER_PRONOUNS
                     else "say" if self.speech_verb else "")
        self.breaks_clause = not text[:1].isalpha() or low in _CLAUSE_OPENERS


def _description_end(toks: Sequence[_Token], i: int) -> int:
    """End of a description opened by the determiner at ``i`` ("the old man", "the saloon-keeper").

    At most three words; ``i + 1`` when no word follows that can describe.
    """
    j = i + 1
    while j < len(toks) and j - i <= 3 and _description_word(toks[j]):
        j += 1
        if j + 1 < len(toks) and toks[j].text == "-" and _description_word(toks[j + 1]):
            j += 2  # "the saloon-keeper"
    while j > i + 2 and toks[j - 1].low.endswith("ed"):
        j -= 1  # "my mother whinnied": the verb is not part of her
    return j


def _group_word(word: str) -> bool:
    """Whether a description's head word names several people ("women", "ladies", "crowd"), not one."""
    return word in _GROUPS or word.endswith("s") and not word.endswith("ss")


def _generic_statement(tokens: Sequence[_Token], noun_end: int) -> bool:
    """Whether "a man" ending at ``noun_end`` is the subject of a present-tense or modal verb.

    ("A woman should some day write …", "When a girl leaves her home, she
    does …": any woman, not one the story met.)  Narration is told in the
    past, so an indefinite subject with a past verb introduces someone.
    A possessive is no subject ("A man's hands shook").
    """
    if _possessed(tokens[noun_end - 1].text) != tokens[noun_end - 1].text:
        return False
    k = noun_end
    while k < len(tokens) and (tokens[k].low in _FREQUENCY_ADVERBS or tokens[k].low.endswith("ly")):
        k += 1  # "A woman always notices …"
    if k >= len(tokens):
        return False
    verb = tokens[k].text
    return verb in _GENERIC_VERBS or verb.isalpha() and verb.islower() \
        and verb.endswith("s") and not verb.endswith(("ss", "us")) and verb != "was"


# Words ending in "-ly" that are adjectives (or nouns), never adverbs: they
# describe a person ("the burly smith", "an elderly lady").
_LY_ADJECTIVES = frozenset("""
burly elderly ugly lovely lonely silly sickly curly stately friendly lively comely homely portly
surly jolly holy wily ghastly goodly manly womanly gentlemanly scholarly saintly worldly beastly
ungainly unruly unsightly shapely sprightly grizzly woolly melancholy family
""".split())


def _past_verb_at(tokens: Sequence[_Token], i: int) -> bool:
    """Whether token ``i`` is a lower-case verb in the past tense ("returned", "went")."""
    if i >= len(tokens):
        return False
    word = tokens[i].text
    return word.islower() and (word in _PAST_WORDS or len(word) > 4 and word.endswith("ed"))


def _pronoun_partner_at(tokens: Sequence[_Token], i: int) -> bool:
    """Whether "and I" (or "and he", "and she") and a past verb follow at ``i``: a compound subject.

    ("…, Ward and I met again. He held out his hand": the one named
    beside the pronoun is a subject of the sentence, and so the "he" that
    follows, though the sentence opened on something else.)
    """
    return i + 2 < len(tokens) and tokens[i].low == "and" and tokens[i + 1].low in ("i", "he", "she") \
        and _past_verb_at(tokens, i + 2)


def _description_word(tok: _Token) -> bool:
    """A word that can continue a description ("the old man", "the burly smith"), not a verb or adverb."""
    return tok.text[0].isalpha() and tok.low not in _NP_STOP and tok.low not in SAY_VERBS \
        and tok.low not in _DETERMINERS and (not tok.low.endswith("ly") or tok.low in _LY_ADJECTIVES)


_TOKEN_CACHE: dict[str, _Token] = {}
_TOKEN_CACHE_SIZE = 50_000  # distinct words kept; cleared when full


def _tokens(text: str) -> list[_Token]:
    """The words and punctuation of ``text``, as shared immutable tokens."""
    cache = _TOKEN_CACHE
    words = _TOKEN_RE.findall(text)
    if len(cache) > _TOKEN_CACHE_SIZE:
        cache.clear()
    # Nearly every word is already cached: look them all up at C speed,
    # then make tokens only for the few new words (None is never a token).
    out = list(map(cache.get, words))
    if None in out:
        for k, token in enumerate(out):
            if token is None:
                word = words[k]
                token = cache.get(word)  # the same new word may occur twice
                if token is None:
                    token = cache[word] = _Token(word)
                out[k] = token
    return out


def _whole_words_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` as a whole word, longest first.

    The lookahead on the words' first characters changes nothing about what
    matches, but lets the regex engine skip quickly to where a match can
    start instead of trying every alternative at every position (about
    three times faster on prose).  Grouping the words by first character
    (in lower case: the pattern may ignore case) changes nothing either, as
    words of different groups never match at the same place, but the engine
    then tries one group there instead of every word (about a third
    faster); see :func:`~fanarchive.reading.patterns.by_first_letter`.
    """
    ordered = sorted(words, key=len, reverse=True)
    first = "".join(sorted({re.escape(w[0]) for w in ordered}))
    groups = by_first_letter(ordered)  # lower-cased first letters: the pattern may ignore case
    alternatives = "|".join(f"(?:{'|'.join(map(re.escape, group))})" for group in groups)
    return rf"(?=[{first}])\b(?:{alternatives})\b"


def _name_runs(tokens: Sequence[_Token]) -> list[tuple[int, int]]:
    """Index ranges of consecutive capitalised word tokens (name candidates), at most four long."""
    runs: list[tuple[int, int]] = []
    start = end = 0
    # A comprehension picks the few candidates from all the tokens faster
    # than a loop stepping through them; then consecutive ones are grouped.
    for k in [k for k, tok in enumerate(tokens) if tok.name_like]:
        if k == end and end - start < 4:
            end += 1
        else:
            if end > start:
                runs.append((start, end))
            start, end = k, k + 1
    if end > start:
        runs.append((start, end))
    return runs


# ---------------------------------------------------------------- the cast


@dataclass
class Cast:
    """The characters a story may contain, as the attribution needs them.

    ``names`` maps every surface form ("Spike", "Slayer", "Buffy Summers") to
    a canonical name; ``genders`` maps canonical names to ``"m"``, ``"f"`` or
    ``""``.  ``epithets`` optionally maps descriptions ("the vampire" or
    "vampire") to canonical names; they count after "the".  ``narrator`` is
    who "I" is in first-person narration (:data:`NARRATOR` when unknown).
    """

    names: dict[str, str]
    genders: dict[str, str]
    epithets: dict[str, str] = field(default_factory=dict)
    narrator: str = NARRATOR
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)
    _gender_of: dict[str, str] = field(init=False, repr=False, compare=False)
    _canonical_of: dict[str, str | None] = field(init=False, repr=False, compare=False)
    _name_word_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _titles: tuple[dict[str, set[str]], dict[str, str], re.Pattern[str] | None] | None = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._gender_of = {}
        self._canonical_of = {}
        self._name_word_re = None
        self._titles = None
        self._lookup = {_norm_key(surface): canon for surface, canon in self.names.items()}
        for canon in self.names.values():
            self._lookup.setdefault(_norm_key(canon), canon)
        self.epithets = {_epithet_key(k): v for k, v in self.epithets.items()}

    def titles(self) -> tuple[dict[str, set[str]], dict[str, str], re.Pattern[str] | None]:
        """Titles in the cast's names: who holds each, the ones held by one character, a regex for those.

        ("uncle" → characters called "Uncle …"; a title held by one
        character names them: "his uncle", "Yes, uncle.")
        """
        if self._titles is None:
            holders: dict[str, set[str]] = {}
            for surface, canon in self.names.items():
                words = surface.split()
                if len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
                    title = words[0].lower().rstrip(".")
                    holders.setdefault(_TITLE_WORDS.get(title, title), set()).add(canon)
            single = {t: next(iter(h)) for t, h in holders.items() if len(h) == 1}
            pattern = re.compile(rf"(?i){_whole_words_pattern(single)}") if single else None
            self._titles = (holders, single, pattern)
        return self._titles

    def mentions_a_name(self, text: str) -> bool:
        """Quick test: does ``text`` hold a word of any known name?"""
        if self._name_word_re is None:
            words = set()
            for surface in self._lookup:  # "Doctor" alone is a name; in "Dr Who", "Who" is
                parts = surface.split()
                words.update([w for w in parts if w.lower() not in _TITLES] or parts)
            self._name_word_re = re.compile(_whole_words_pattern(words)) if words else re.compile(r"(?!)")
        return self._name_word_re.search(text) is not None

    def canonical(self, surface: str) -> str | None:
        """The canonical name for a surface form, or None when unknown."""
        try:
            return self._canonical_of[surface]
        except KeyError:
            if len(self._canonical_of) > _TOKEN_CACHE_SIZE:
                self._canonical_of.clear()
            found = self._canonical_of[surface] = self._lookup.get(_norm_key(surface))
            return found

    def gender(self, name: str) -> str:
        """``"m"``, ``"f"`` or ``""`` for a canonical name (or a description)."""
        known = self._gender_of.get(name)
        if known is None:
            known = self._gender_of[name] = self._guess_gender(name)
        return known

    def _guess_gender(self, name: str) -> str:
        if name in self.genders:
            return self.genders[name]
        words = name.lower().replace(".", "").split()
        if words and words[0] in _HONORIFIC_GENDER:
            return _HONORIFIC_GENDER[words[0]]
        # "the old man"; "the woman servant", "the gentleman farmer": the sex word before a role
        return next((_NOUN_GENDER[w] for w in words[-1:-3:-1] if w in _NOUN_GENDER), "") if words else ""

    def find_names(self, tokens: Sequence[_Token]) -> list[tuple[int, int, str]]:
        """Known names among ``tokens`` as (first index, end index, canonical), longest match first.

        A title before a known name belongs to the mention ("Mr. Syme"
        when only "Syme" is known).
        """
        found = []
        for i, j in _name_runs(tokens):
            words = [t.text for t in tokens[i:j]]
            k = i
            while k < j:
                for end in range(j, k, -1):
                    canon = self.canonical(" ".join(words[k - i:end - i]))
                    if canon is not None:
                        titled = k > i and tokens[k - 1].low in _TITLES
                        start = k - 1 if titled and not (found and found[-1][1] == k) else k
                        found.append((start, end, canon))
                        k = end
                        break
                else:
                    k += 1
        return found

    @classmethod
    def from_text(cls, paragraph_texts: Iterable[str]) -> Cast:
        """Guess a cast from capitalised names when no canon data exists.

        A candidate is a run of capitalised words (with any title such as
        "Mr.") seen beside a say-verb ("said Elizabeth"), or seen at least
        twice, at least once not starting a sentence.
        Shorter forms contained in exactly one longer name become its alias
        ("Bennet" → "Mr. Bennet" only if no "Mrs. Bennet").  Gender comes
        from titles, else from he/she pronouns in the words after mentions
        and from a gendered noun just before one ("her sister Kitty").  An
        object pronoun in the sentence a name opens is someone else ("Nell
        was waiting for him"), and does not count.  A sex the narration
        states ("Nell was a tall woman") outweighs the pronouns, as a
        title does (see :func:`_stated_sex`).
        """
        counts: Counter[str] = Counter()
        after_preposition: Counter[str] = Counter()
        mid_sentence: set[str] = set()
        display: dict[str, str] = {}
        pronouns: dict[str, Counter[str]] = {}
        attributed: set[str] = set()  # seen speaking: "said Elizabeth", "Jo cried"
        words_seen: Counter[str] = Counter()
        keys_of: dict[str, tuple[str, str]] = {}  # surface → (name key, display form), made once each
        named_common: Counter[str] = Counter()  # common words seen as speakers' names
        also_called: list[tuple[str, str]] = []  # "Miss Trotwood, or Miss Betsey, as …", "X, known as Y": one
        stated: dict[str, str] = {}  # sexes the narration states ("Nell was a tall woman")
        for text in paragraph_texts:
            toks = _tokens(text)
            words_seen.update([t.text for t in toks])
            quotes = _QuoteTracker(toks)
            previous = (-1, "")  # end and key of the last name run
            for i, j in _name_runs(toks):
                if j - i == 1 and toks[i].text in _NOT_NAMES and _inverted_attribution(toks, i):
                    # "said Good", "cried Mother": a common word used as a name
                    named_common[toks[i].text] += 1
                words = [t for t in toks[i:j] if t.text.rstrip(".") not in _NOT_NAMES
                         or t.low in _TITLES]
                while words and words[-1].low in _TITLES:
                    words.pop()
                if not words or all(w.low in _TITLES for w in words):
                    continue
                if len(words) == 1 and words[0].text in _NOT_NAMES:
                    continue
                surface = " ".join([w.text for w in words])
                if surface not in keys_of:
                    keys_of[surface] = (_norm_key(surface), re.sub(r"['’]s$", "", surface))
                key, shown = keys_of[surface]
                if _or_as_called(toks, previous[0], i, j):
                    also_called.append((previous[1], key))
                previous = (j, key)
                counts[key] += 1
                display.setdefault(key, shown)
                if i > 0 and toks[i - 1].text not in _BEFORE_SENTENCE:
                    mid_sentence.add(key)
                if i > 0 and toks[i - 1].low in _NOT_BEFORE_PEOPLE:
                    after_preposition[key] += 1
                if i > 0 and toks[i - 1].low in SAY_VERBS or j < len(toks) and toks[j].low in SAY_VERBS:
                    attributed.add(key)
                tally = pronouns.setdefault(key, Counter())
                if sex := _stated_sex(toks, j):
                    stated.setdefault(key, sex)
                if i > 0 and toks[i - 1].low in _NOUN_GENDER:  # "her sister Kitty", "my boy Harry"
                    tally[_NOUN_GENDER[toks[i - 1].low]] += 2
                if quotes.inside_at(i):
                    continue  # "Morning, Nell!" he said: that "he" is not Nell
                # "Nell was waiting for him": an object pronoun in the clause its
                # subject opens is someone else (the subject itself would be "himself")
                own_clause = i == 0 or toks[i - 1].text in _BEFORE_SENTENCE
                for k in range(j, min(j + 12, len(toks))):  # pronouns after the name, up to another name or quote
                    t = toks[k]
                    if t.capitalised and t.low not in _GENDER_PRONOUNS and t.text not in _NOT_NAMES \
                            or t.text in _QUOTE_TOKENS:
                        break
                    own_clause = own_clause and t.text not in _SENTENCE_END
                    if t.low in _GENDER_PRONOUNS and not (own_clause and _object_pronoun(toks, k)):
                        tally[_GENDER_PRONOUNS[t.low]] += 1
        common_names = {word for word, seen in named_common.items() if seen >= 2
                        and word.lower() not in _PERSONAL_PRONOUNS and word.lower() not in _DETERMINERS}
        for word in common_names:
            counts[word] += named_common[word]
            display.setdefault(word, word)
            attributed.add(word)
            mid_sentence.add(word)
        # "Poor Douglas", "Finally Tom": a word also seen in lower case is no part of a name
        for key in [k for k in counts if " " in k]:
            first, rest = key.split(" ", 1)
            if first.lower() not in _TITLES and words_seen[first.lower()] >= counts[key]:
                counts[rest] += counts.pop(key)
                after_preposition[rest] += after_preposition.pop(key, 0)
                display.setdefault(rest, display[key].split(" ", 1)[1])
                pronouns.setdefault(rest, Counter()).update(pronouns.pop(key, Counter()))
                for flags in (mid_sentence, attributed):
                    if key in flags:
                        flags.add(rest)

        def person_like(key: str) -> bool:
            if key.split()[0].lower() in _TITLES:
                return True
            # "Report", "Promoted": common words capitalised at a sentence start
            common = " " not in key and words_seen[key.lower()] >= counts[key] and key not in common_names
            return len(key) > 1 and not common \
                and not _looks_like_place(key, counts[key], after_preposition[key])

        # Seen speaking, or seen twice and (unless titled or of several
        # words) once mid-sentence.
        also_called = [(a, b) for a, b in also_called if a in counts and b in counts]
        called = {k for pair in also_called for k in pair}
        keys = [k for k, c in counts.items() if k in called or person_like(k) and (
            k in attributed or c >= 2 and (k in mid_sentence or " " in k))]
        full_names = [k for k in counts if " " in k and person_like(k)]

        def key_gender(key: str) -> str:
            return _title_gender(key) or stated.get(key) \
                or _gender_from_pronouns(pronouns.get(key, Counter()), least=1)

        canon_of = _merge_aliases(keys, full_names, counts, key_gender)
        for key in keys:  # "Holmes" → "Sherlock Holmes" → "Mr. Sherlock Holmes": one person
            seen = {key}
            while canon_of.get(canon_of[key], canon_of[key]) not in seen:
                seen.add(canon_of[key])
                canon_of[key] = canon_of.get(canon_of[key], canon_of[key])
        for first, second in also_called:  # the name seen more often stands for both
            one, other = sorted((canon_of[first], canon_of[second]), key=lambda k: -counts[k])
            if one != other and {key_gender(one), key_gender(other)} != {"m", "f"}:
                canon_of.update({k: one for k, c in canon_of.items() if c == other})
        names = {display[k]: display[canon_of[k]] for k in keys}
        names.update({display[c]: display[c] for c in canon_of.values()})
        genders: dict[str, str] = {}
        for key in keys:
            canon = display[canon_of[key]]
            if _title_gender(key) or key in stated:
                genders[canon] = _title_gender(key) or stated[key]
            elif canon not in genders or not genders[canon]:
                tally = pronouns.get(canon_of[key], Counter()) + pronouns.get(key, Counter())
                genders[canon] = _gender_from_pronouns(tally)
        return cls(names=names, genders=genders)


_PUNCTUATION_AFTER_NAME = frozenset(",.;!?")
_PERSONAL_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "one"})


def _inverted_attribution(toks: Sequence[_Token], i: int) -> bool:
    """Token ``i`` is the subject of an inverted say-clause ("…,’ said Good.")."""
    return i > 0 and toks[i - 1].low in SAY_VERBS and (
        i + 1 == len(toks) or toks[i + 1].text in _PUNCTUATION_AFTER_NAME)


_NICKNAMING = frozenset({"known", "called", "nicknamed", "dubbed"})


def _or_as_called(toks: Sequence[_Token], previous_end: int, i: int, j: int) -> bool:
    """The name run ``toks[i:j]`` is another name of the one ending at ``previous_end``.

    Either "Caroline, or Sister Carrie, as she was called", or a
    participle clause giving a nickname: "Miss Jane Cole, known to her
    friends as 'Bunny'", "Thomas, called Tod by everyone" (no sentence
    end between, the name right after "as" or the participle, perhaps
    in quote marks).
    """
    if previous_end < 0 or toks[previous_end].text != ",":
        return False
    if previous_end == i - 2 and toks[i - 1].low == "or":
        return j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].low == "as"
    before = i - 1 if toks[i - 1].text in _QUOTE_TOKENS or toks[i - 1].text == "‘" else i
    clause = toks[previous_end + 1:before]
    return 0 < len(clause) <= 12 and clause[0].low in _NICKNAMING \
        and (clause[-1].low == "as" or len(clause) == 1) \
        and not any(t.text in _SENTENCE_END or t.text in _QUOTE_TOKENS for t in clause)


_OPENING_PREPOSITIONS = _PLACE_PREPOSITIONS | {
    "on", "after", "before", "for", "with", "by", "during", "behind", "beside", "upon", "under", "over",
    "outside", "inside", "within", "without"}


def _after_opening_phrase(tokens: Sequence[_Token], start: int, i: int) -> bool:
    """Whether the sentence starting at ``start`` opens with a short prepositional phrase ended before ``i``.

    ("In a moment the nurse came back", "At last the doctor spoke": the
    person after the phrase is the sentence's subject, comma or not.)
    The phrase holds lower-case words only, none of them a pronoun, and
    ends on one that is no determiner or preposition.
    """
    if not 2 <= i - start <= 5 or tokens[start].low not in _OPENING_PREPOSITIONS:
        return False
    last = tokens[i - 1].low
    return last not in _DETERMINERS and last not in _OPENING_PREPOSITIONS and all(
        t.text.isalpha() and t.text.islower() and t.low not in _PERSONAL_PRONOUNS and t.low not in _GENDER_PRONOUNS
        for t in tokens[start + 1:i])


_EXPERIENCER_VERBS = frozenset({"seemed", "appeared", "occurred", "struck"})


def _experiencer_at(tokens: Sequence[_Token], start: int, i: int) -> bool:
    """Whether the person at ``i`` is the one "It seemed to …" (or "It struck …") opening the sentence tells of.

    ("It seemed to Winterbourne that he had been presented. He got up":
    the one something seems to or strikes is whom the sentence is about,
    and the "he" that follows goes on with them, as with a subject.)
    """
    return 2 <= i - start <= 3 and tokens[start].low == "it" \
        and (tokens[i - 1].low == "struck" or tokens[i - 1].low == "to" and tokens[i - 2].low in _EXPERIENCER_VERBS)


_CLAUSE_BREAKS = _SUBORDINATORS | {"who", "whom", "whose", "which", "that", "where"}


def _own_possessive_sex(tokens: Sequence[_Token], end: int) -> str:
    """The sex a "his"/"her" in the clause of a subject ending at ``end`` gives it, else "".

    ("The surgeon had been sitting with his face to the fire": no one
    else is named before "his", so it is the surgeon's.)  Only before
    any other person, pronoun, punctuation or subordinate clause; "her"
    only as a possessive ("shook her head", not "looked at her").
    """
    for k in range(end, min(end + 10, len(tokens))):
        tok = tokens[k]
        if tok.low in ("his", "himself"):
            return "m"
        if tok.low == "herself" or tok.low == "her" and k + 1 < len(tokens) \
                and tokens[k + 1].text[0].isalpha() and _description_word(tokens[k + 1]):
            return "f"
        if not tok.text[0].isalpha() or tok.capitalised or tok.low in _CLAUSE_BREAKS \
                or tok.low in _PERSONAL_PRONOUNS or tok.low in _GENDER_PRONOUNS \
                or tok.low in _DETERMINERS and _Attributor._person_noun_end(tokens, k):
            return ""
    return ""


def _same_person_named(name: str, other: str) -> bool:
    """Whether ``other`` may name the person ``name`` ("Hale" for "Peter Hale")."""
    return name == other or name.split()[-1] == other.split()[-1]


def _title_gender(key: str) -> str:
    """Gender implied by a name's title ("Mrs. Bennet" → "f"), else ""."""
    return _HONORIFIC_GENDER.get(key.split()[0].lower(), "")


def _object_pronoun(toks: Sequence[_Token], k: int) -> bool:
    """Whether the pronoun at ``k`` is an object ("for him", "told her."), not a subject or possessive."""
    if toks[k].low == "him":
        return True
    return toks[k].low == "her" and (k + 1 == len(toks) or not toks[k + 1].text[0].isalpha()
                                     or toks[k + 1].low in _NP_STOP or toks[k + 1].low in _DETERMINERS)


def _stated_sex(toks: Sequence[_Token], end: int) -> str:
    """The sex a name ending at ``end`` is said to be ("Nell was a tall, broad-shouldered woman"), else "".

    A sentence that calls a character a woman or a man (a girl, a son …)
    tells their sex outright, while the pronouns after their mentions may
    be someone else's ("Nell was waiting for him. He …").
    """
    if end + 2 >= len(toks) or toks[end].low not in ("was", "is") or toks[end + 1].low not in ("a", "an"):
        return ""
    for tok in toks[end + 2:end + 8]:
        if tok.low in _NOUN_GENDER:
            return _NOUN_GENDER[tok.low]
        if tok.text not in (",", "-") and not _description_word(tok):
            return ""
    return ""


def _gender_from_pronouns(tally: Counter[str], least: int = 2) -> str:
    """"m" or "f" when one kind of pronoun clearly dominates after a name's mentions."""
    m, f = tally["m"], tally["f"]
    return "m" if m > 1.5 * f and m >= least else "f" if f > 1.5 * m and f >= least else ""


_QUOTE_TOKENS = frozenset('"“”')
_TRAILING_MARKS = frozenset(_SENTENCE_END | {"“", '"', "‘", "—", ",", ":"})  # between narration and a quote
_BEFORE_SENTENCE = frozenset(_SENTENCE_END | {"“", '"', "‘", "—"})  # a name after these may just open a sentence


class _QuoteTracker:
    """Whether tokens are inside double quotes, asked in increasing order (linear overall)."""

    def __init__(self, tokens: Sequence[_Token]) -> None:
        self.tokens, self.seen, self.inside = tokens, 0, False

    def inside_at(self, i: int) -> bool:
        """Whether token ``i`` is inside double quotes (counting the marks before it)."""
        for tok in self.tokens[self.seen:i]:
            if tok.text in _QUOTE_TOKENS:
                self.inside = tok.text == "“" or tok.text == '"' and not self.inside
        self.seen = max(self.seen, i)
        return self.inside


def _looks_like_place(key: str, count: int, after_preposition: int) -> bool:
    """A name candidate that is probably a place or a group, not a person.

    ("Baker Street"; mostly seen as "in Bohemia" or "the Elphbergs").
    """
    return key.endswith(_PLACE_WORDS) or 2 * after_preposition >= count


def _merge_aliases(keys: list[str], full_names: list[str], counts: Counter[str],
                   gender: Callable[[str], str]) -> dict[str, str]:
    """Map each name key to the key of the fuller name it abbreviates, if unambiguous.

    ``full_names`` are several-word names seen at least once ("Elizabeth
    Bennet"), candidates for the canonical form of shorter keys.  Genders
    (from titles or pronouns) must not clash, and a titled form ("Mr.
    Linden", "Uncle John") joins an untitled full name ("John Linden")
    only when that name is known to be of the title's gender and no other
    title shares the name, so that "Mrs. Bennet" beside "Mr. Bennet" never
    becomes "Elizabeth Bennet".  A pet form ("Lizzy", "Harry") joins the
    full name of its formal form ("Elizabeth Bennet", "Lord Henry Wotton")
    only when no fuller name holds it as written ("Harry Smith").
    Two marital titles apart name two people ("Mrs. Varley" is not "Miss
    Clara Varley": mother and daughter), and a title with the surname
    alone ("Miss Ashby") is not the fuller name ("Miss Harriet
    Ashby") of someone also called by title and first name ("Miss
    Harriet"): by English usage that is the elder sister (or brother).
    """
    def content(key: str, formal: bool = False) -> frozenset[str]:
        words = (w for w in key.split() if w.lower() not in _TITLES)
        return frozenset(_FORMAL_NAME.get(w, w) for w in words) if formal else frozenset(words)

    key_set = set(keys)
    titles: dict[frozenset[str], set[str]] = {}  # "Bennet" → {"mr", "mrs"}: a family name
    for key in keys:
        if _title_gender(key):
            titles.setdefault(content(key), set()).add(key.split()[0].lower())

    def compatible(key: str, other: str) -> bool:
        mine, theirs = gender(key), gender(other)
        if _title_gender(key) and not _title_gender(other):
            return mine == theirs and len(titles[content(key)]) == 1
        title, other_title = key.split()[0].lower().rstrip("."), other.split()[0].lower().rstrip(".")
        if title != other_title and {title, other_title} <= _MARITAL_TITLES:
            return False  # "Mrs. Varley" is not "Miss Clara Varley"
        words, other_words = key.split(), other.split()
        if title == other_title and len(words) == 2 and len(other_words) == 3 and words[1] == other_words[2] \
                and f"{other_words[0]} {other_words[1]}" in key_set:
            return False  # "Miss Ashby", the elder sister, beside "Miss Harriet" (Ashby)
        return not (mine and theirs and mine != theirs)

    canon_of = {}
    candidates = list(dict.fromkeys([*keys, *full_names]))

    def fuller_names(key: str, formal: bool) -> list[str]:
        words = content(key, formal)
        return [
            other for other in candidates
            if other != key and words and words <= content(other, formal)
            and (len(content(other)) > len(words) or not _title_gender(key) and len(other) > len(key))
            and compatible(key, other)
        ]

    for key in keys:
        fuller = fuller_names(key, formal=False) or fuller_names(key, formal=True)
        # distinct people among the fuller names (by content words) must be
        # one; names seen once ("Malachi Mulligan") only count if nothing else
        # fits ("Mulligan" is the "Buck Mulligan" seen often)
        frequent = [o for o in fuller if o in key_set]
        fuller = frequent or fuller
        people = {content(o) for o in fuller}
        if fuller and len(people) == 1:
            canon_of[key] = max(fuller, key=lambda o: (counts[o], len(o)))
        else:
            canon_of[key] = key
    return canon_of


# ---------------------------------------------------------------- quotations


@dataclass
class QuoteSpan:
    """A quotation found in a chapter, before attribution.

    ``start``/``end`` include the quote marks and are offsets in paragraph
    ``paragraph``; a quote that runs on lists the later paragraphs' pieces
    in ``continuations`` as (paragraph, start, end).  ``text`` is the words
    without the marks, pieces joined by newlines.
    """

    paragraph: int
    start: int
    end: int
    text: str
    continuations: list[tuple[int, int, int]] = field(default_factory=list)


# A single mark opening a word at the start of the text or after a space,
# bracket or dash.  Starting with the mark and looking back at the
# character before it (rather than matching that character first) lets the
# regex engine jump from mark to mark: about four times faster on prose.
_SINGLE_OPENING_RE = re.compile(r"['‘](?<![^\s(—–]['‘])(?=[^\W\d_])")


def _quote_style(texts: Sequence[str]) -> str:
    """``double`` or ``single``: which marks delimit speech in this text.

    ``double`` also stands for no marks at all: dash dialogue is looked for
    in paragraphs without double marks.
    """
    double = sum(t.count('"') + t.count("“") + t.count("”") for t in texts)
    single = sum(len(_SINGLE_OPENING_RE.findall(t)) for t in texts if "'" in t or "‘" in t)
    if single <= 2 * double:
        return "double"
    # dash dialogue with a stray apostrophe ("the soldiers 'slugs") is not single-quoted
    dashes = sum(len(_DASH_OPENER.findall(t)) for t in texts if "-" in t or "—" in t or "–" in t)
    return "single" if single >= dashes else "double"


def _mark_roles(text: str, i: int) -> tuple[bool, bool]:
    """Whether the quote mark at ``i`` looks like an opener, and like a closer.

    An opener has space (or the text's start, a bracket or a dash) before
    it and no space after; a closer has no space before it and space,
    punctuation or the text's end after.  Both come from one look at the
    neighbours because the scan asks about both for most marks.
    """
    space_before = i == 0 or text[i - 1].isspace()
    space_after = i + 1 >= len(text) or text[i + 1].isspace()
    opener = (space_before or text[i - 1] in "([{—–-/") and not space_after
    closer = not space_before and (space_after or not text[i + 1].isalnum())
    return opener, closer


def _is_elision(text: str, i: int) -> bool:
    """A single mark at ``i`` starts a clipped word ('em, 'round, 'm)."""
    m = re.match(r"[^\W\d_]+", text[i + 1:i + 12])
    after = i + 1 + m.end() if m else i
    return bool(m) and m.group().lower() in _ELISIONS and text[after:after + 1] not in ("'", "’")


def _is_apostrophe_close(text: str, i: int) -> bool:
    """A closing-looking single mark that is a dropped letter (gettin', boys')."""
    if i + 1 < len(text) and text[i + 1].isalpha():
        return True
    word = re.search(r"[^\W\d_]+$", text[max(0, i - 20):i])
    follows = re.match(r"\s+[a-z]", text[i + 1:i + 4])
    return bool(word and follows and (word.group().lower().endswith("in") or word.group().endswith("s")))


_DOUBLE_MARK_RE = re.compile(r'["“”„]')
_SINGLE_MARK_RE = re.compile(r"['‘’]")


def _scan_marks(text: str, style: str) -> tuple[list[tuple[int, int]], int | None]:
    """Quote spans in one paragraph, and where a quote left open there began.

    Returns (start, end) spans with the marks included; a quote still open
    at the paragraph's end is returned as its start offset, not as a span.
    A straight mark opens or closes by what surrounds it; a new opening
    mark inside a quote ends the unclosed one before it, unless it opens a
    few quoted words nested in the quote (see :func:`_nested_close`).
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    nested_close = -1  # the closing mark of a nested quote, skipped
    skip_to = no_nesting_before = -1  # single marks: nested quotes skipped, openings known not nested
    for mark in (_DOUBLE_MARK_RE if style == "double" else _SINGLE_MARK_RE).finditer(text):
        i, ch = mark.start(), mark.group()
        if style == "double":
            if i <= nested_close:
                continue
            if ch in _DOUBLE_OPEN:
                if start is not None and (nested_close := _nested_close(text, i)) > i:
                    continue  # “… the “Spectator,” and snuff …”
                if start is not None and i > start:
                    spans.append((start, i))  # unbalanced: a new opening ends the old quote
                start = i
            elif ch in _DOUBLE_CLOSE:
                if start is not None:
                    spans.append((start, i + 1))
                    start = None
            elif ch == _STRAIGHT_DOUBLE:
                opener, closer = _mark_roles(text, i)
                if start is None:
                    if not (closer and not opener):
                        start = i
                elif opener and not closer and i > start + 1:
                    spans.append((start, i))
                    start = i
                else:
                    spans.append((start, i + 1))
                    start = None
        elif ch == _SINGLE_OPEN or ch in _SINGLE_MARKS:
            if i < skip_to:
                continue
            opens, closes = _single_roles(text, i)
            if start is None:
                if opens:
                    start = i
            elif closes:
                spans.append((start, i + 1))
                start = None
            elif opens and i >= no_nesting_before:
                skip_to, no_nesting_before = _single_nesting(text, i)
    return spans, start


def _single_roles(text: str, i: int) -> tuple[bool, bool]:
    """Whether the single mark at ``i`` opens a quote, and whether it closes one.

    Apostrophes do neither: a mark after a letter does not open, a clipped
    word ('em) does not open, and a dropped letter (gettin') does not close.
    """
    ch = text[i]
    opener, closer = _mark_roles(text, i)
    opens = (ch == _SINGLE_OPEN or opener) and not (
        i > 0 and text[i - 1].isalnum()) and not _is_elision(text, i)
    closes = ch != _SINGLE_OPEN and closer and not _is_apostrophe_close(text, i)
    return opens, closes


def _single_nesting(text: str, i: int) -> tuple[int, int]:
    """Whether single quotes opened at ``i`` inside a quote are nested in it.

    A single-quoted book quotes words inside speech with the same mark
    (‘she would rather say ‘good-by,’ than ‘how do you do.’ — you know.’).
    The opening at ``i`` starts a run of such short quotes when each closes
    within a few words and the speaker's own closing mark comes after the
    last of them.  Returns (where that outer closing mark is, or -1; the
    offset before which no opening mark need be tried again).  Without the
    outer closing mark the marks are left as they were read: the inner
    closing mark ends the speech.
    """
    inner_open: int | None = i
    for mark in _SINGLE_MARK_RE.finditer(text, i + 1):
        j = mark.start()
        if inner_open is not None and j - inner_open > _NESTED_MAX:
            return -1, inner_open + 1
        opens, closes = _single_roles(text, j)
        if inner_open is not None:
            if closes:
                inner_open = None
        elif closes:
            return j, j
        elif opens:
            inner_open = j
    return -1, len(text)


_NESTED_MAX = 40  # characters of a nested quotation ("the “Spectator,”")


def _nested_close(text: str, i: int) -> int:
    """Where a curly quote opened at ``i`` inside another quote closes, if it is nested there.

    It is when it closes within a few words and the outer quote's own
    closing mark follows before any new quote opens; else -1 (the outer
    quote simply lacked its closing mark).
    """
    close = text.find(_DOUBLE_CLOSE, i, i + _NESTED_MAX)
    if close < 0:
        return -1
    outer = text.find(_DOUBLE_CLOSE, close + 1)
    reopen = text.find("“", close + 1)
    return close if outer >= 0 and (reopen < 0 or outer < reopen) else -1


def _has_double_mark(text: str) -> bool:
    """Whether ``text`` holds any double quote mark (plain substring tests beat a regex scan)."""
    return '"' in text or "“" in text or "”" in text or "„" in text


def _dash_spans(text: str) -> list[tuple[int, int]]:
    """Speech in dash-dialogue paragraphs ("— Come up, — he said. — Now!").

    Speech opens at a dash (or "--") beginning the paragraph or following a
    colon or a sentence's end; it runs to the next spaced dash, or to a
    sentence end followed by a lower-case attribution ("! he said"), or to
    the paragraph end, but no further than a sentence that reads as
    narration ("— Now! He turned away.").  After that, the next spaced dash
    reopens speech, and so does the sentence after an attribution when it
    does not read as narration ("— Thanks, he cried. That will do. He
    skipped off." holds two pieces of speech).
    """
    first = _DASH_OPENER.search(text)
    if not first:
        return []
    dashes = [m.start() + text[m.start()].isspace() for m in _SPACED_DASH.finditer(text)]
    cuts = [m.start() for m in _ATTRIBUTION_CUT.finditer(text)]
    spans = []
    start, d, c = first.end() - (2 if text.endswith("--", 0, first.end()) else 1), 0, 0
    while True:
        while d < len(dashes) and dashes[d] <= start:
            d += 1
        while c < len(cuts) and cuts[c] <= start:
            c += 1
        end = min(dashes[d] if d < len(dashes) else len(text), cuts[c] if c < len(cuts) else len(text))
        stop = _speech_end(text, start, end)
        spans.append((start, stop))
        # a dash closing the speech is passed over, but one after the
        # narration that cut it short opens speech again ("— Now. He
        # turned: — Go!")
        narrated = stop < len(text[:end].rstrip())
        while d < len(dashes) and (dashes[d] < end or dashes[d] == end and not narrated):
            d += 1
        if c < len(cuts) and end == cuts[c]:
            resumed = _speech_after_attribution(text, end, dashes[d] if d < len(dashes) else len(text))
            if resumed:
                spans.append(resumed)
        if d == len(dashes):
            return spans
        start = dashes[d]


_SENTENCE_RE = re.compile(r"[^.!?]+[.!?]+['’”)]*(?=\s|$)|[^.!?]+$")
_FIRST_AND_SECOND_PERSON = frozenset("i me my mine we us our ours you your yours".split())
_PAST_WORDS = frozenset("""
went came took gave stood sat saw made held felt knew thought found left began ran rose fell put
got kept led brought told said spoke heard drew threw struck shook broke lay hung wore bore met
""".split())


_PRESENT_SUBJECTS = frozenset("he she it god that this who what nobody everybody".split())


def _reads_as_narration(sentence: str) -> bool:
    """No "I" or "you", and a past-tense verb among the first words ("He skipped off.").

    A sentence opening on a present-tense verb ("God knows what they did.",
    "It is what he wanted.") is speech: narration is told in the past.
    """
    words = re.findall(r"[^\W\d_]+", sentence.lower())
    if len(words) > 1 and words[0] in _PRESENT_SUBJECTS and words[1].endswith("s") \
            and not words[1].endswith("ss") and words[1] not in ("was", "his", "this"):
        return False
    return not any(w in _FIRST_AND_SECOND_PERSON for w in words) \
        and any(w in _PAST_WORDS or len(w) > 4 and w.endswith("ed") for w in words[:6])


def _speech_end(text: str, start: int, end: int) -> int:
    """Where unclosed dash speech from ``start`` stops: before ``end`` or the first narration sentence after its first."""
    sentences = [m.span() for m in _SENTENCE_RE.finditer(text, start, end)]
    stop = sentences[0][1] if sentences else end
    for first, last in sentences[1:]:
        if _reads_as_narration(text[first:last]):
            break
        stop = last
    while stop > start + 1 and text[stop - 1].isspace():
        stop -= 1
    return stop


def _speech_after_attribution(text: str, cut: int, limit: int) -> tuple[int, int] | None:
    """Dash speech resuming after its attribution ("he said. That will do."), as (start, end).

    The attribution runs to its sentence's end; the sentence after it, up
    to ``limit``, opens speech unless it reads as narration (see
    :func:`_reads_as_narration`), and the speech runs as in :func:`_speech_end`.
    """
    sentences = [m.span() for m in _SENTENCE_RE.finditer(text, cut, limit)]
    if len(sentences) < 2 or _reads_as_narration(text[slice(*sentences[1])]):
        return None
    first = sentences[1][0]
    start = first + len(text[first:limit]) - len(text[first:limit].lstrip())
    return start, _speech_end(text, start, limit)


_DASH = r"(?:[—–]|--(?!-))"  # an em or en dash, or two hyphens standing for one
_DASH_OPENER = re.compile(rf"^\s*{_DASH}|:\s*{_DASH}|[.!?]\s+{_DASH}(?=\s?[A-Z])")
_SPACED_DASH = re.compile(rf"\s{_DASH}|(?<!-){_DASH}\s")
_SAY_ALTERNATION = "|".join(sorted(SAY_VERBS, key=len, reverse=True))
# Where unclosed dash speech gives way to its attribution: "! he said",
# ", Stephen said", ", said Buck Mulligan".
_ATTRIBUTION_CUT = re.compile(
    rf"(?<=[.!?,])\s+(?=(?:(?:he|she|I|they|[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?)\s+)?(?:{_SAY_ALTERNATION})\b)"
)


_MARKS = "\"“”„‘’'—–"


def _inner(quoted: str) -> str:
    """A quotation's words without its opening and closing marks."""
    text = quoted.strip()
    if text.startswith("--"):
        text = text[2:]
    elif text[:1] in _MARKS:
        text = text[1:]
    if text[-1:] in _MARKS:
        text = text[:-1]
    return text.strip()


def find_quotations(texts: Sequence[str]) -> list[QuoteSpan]:
    """Every quotation in a chapter's paragraphs, in reading order.

    The mark style (double or single) is decided once for the chapter so
    apostrophes are not taken for quotes in double-quoted text.  Paragraphs
    that start with a dash and hold no double quotes are dash dialogue.  A
    quote left open at a paragraph's end continues when the next paragraph
    starts with an opening mark; otherwise it ends with its paragraph.
    """
    style = _quote_style(texts)
    found: list[QuoteSpan] = []
    running: QuoteSpan | None = None
    for p, text in enumerate(texts):
        if style == "double" and not _has_double_mark(text):
            # no marks to scan: dash dialogue, or (most often) plain narration
            spans, open_at = (_dash_spans(text) if _DASH_OPENER.search(text) else []), None
        else:
            spans, open_at = _scan_marks(text, style)
        lead = len(text) - len(text.lstrip())
        if running is not None and spans and spans[0][0] == lead:
            running.continuations.append((p, *spans.pop(0)))
            running = None
        elif running is not None and not spans and open_at == lead:
            running.continuations.append((p, lead, len(text)))
            continue
        else:
            running = None
        found.extend(QuoteSpan(p, s, e, "") for s, e in spans)
        if open_at is not None:
            running = QuoteSpan(p, open_at, len(text), "")
            found.append(running)
    for quote in found:
        pieces = [(quote.paragraph, quote.start, quote.end), *quote.continuations]
        quote.text = "\n".join(_inner(texts[p][s:e]) for p, s, e in pieces)
    return found


# ---------------------------------------------------------------- attribution


_SOMEONE = ""  # speaker of a "he said" whose "he" cannot be resolved
_REPLIER = "\x00"  # speaker of a quote that "was the reply": the other party
# What a speaker's words are called when they stand for the speaker ("his voice said").
_SPEECH_NOUNS = {"voice", "tone", "tones", "advice", "answer", "reply", "response", "words", "lips"}
_REPLY_NOUNS = {"reply", "answer", "response", "rejoinder", "retort"}
_ANNOUNCED_WORDS = _REPLY_NOUNS | {"query", "question"}  # "came the reply", "followed the query"
# words that open an answer to what was just said ("Yes, …", "Precisely.", "Well, …")
_ANSWER_WORDS = frozenset({"yes", "no", "aye", "nay", "yea", "precisely", "exactly", "certainly", "quite",
                           "true", "right", "surely", "undoubtedly", "yeah", "yep", "nope", "well"})
# a question drawing on what the other just said ("Don't you ever sleep, then?")
_FOLLOW_UP_RE = re.compile(r"[^.!?]*, then\?")
_NO_WORDS = frozenset({"no", "nay", "nope"})
_ANSWER_RE = re.compile(r"\W*([A-Za-z]+)(\W?)")
# two words of answer ("Very well, …", "All right.")
_ANSWER_PHRASE_RE = re.compile(r"(?i)\W*(?:very well|all right)\b")
_HEAR_VERBS = {"heard", "hear", "hears", "hearing"}  # "she heard one voice say": the voice speaks
_Region = tuple[int, int, QuoteSpan, bool]  # start, end, quote, continues an earlier paragraph's


@dataclass(slots=True)
class _Guess:
    """A candidate speaker for a quote, with how it was found."""

    speaker: str
    method: str
    confidence: float
    addressee: str | None = None


@dataclass(slots=True)
class _Chunk:
    """A stretch of narration between quotations, tokenised, pronouns resolved."""

    tokens: list[_Token]
    refs: dict[int, str]  # token index → character (names and resolved pronouns)
    names: dict[int, int]  # first token index of a name → its end index
    ends: tuple[int, int] = (-2, -2)  # the last two sentence ends (token indexes, -2: none)
    last_say: int = -1  # index of the last say-verb (-1: none)
    marks: dict[int, int] = field(default_factory=dict)  # determiner index → mentions made before it


# Determiners opening a described sentence subject ("The woman", "This little boy", "One girl")
_DESCRIBED_SUBJECT_STARTS = frozenset({"the", "a", "an", "one", "my", "our", "this", "that"})
_UNNAMED = {"m": "man", "f": "woman"}  # description of an unknown "he" / "she"
_HEADING_WORDS = {"chapter", "part", "book", "volume", "section", "act", "canto", "phase"}
_PARENT_VOCATIVES = {**{w: "f" for w in "mother mamma mama mum mummy ma".split()},
                     **{w: "m" for w in "father papa pa dad daddy".split()}}
_PARENT_WORD_RE = re.compile(r"(?i)\b(?:%s)\b" % "|".join(_PARENT_VOCATIVES))


def _mentions_parent(text: str) -> bool:
    """Whether ``text`` has a parent word ("mother", "papa" …); a substring test first skips most quotes fast."""
    low = text.lower()
    return ("ma" in low or "pa" in low or "mu" in low or "dad" in low or "mother" in low or "father" in low) \
        and _PARENT_WORD_RE.search(text) is not None

_ENDEARMENTS = {"dear", "darling", "dearest", "love"}
_POLITE = {"sir", "ma'am", "ma’am", "madam", "miss", "mum", "m'm"}
_VOCATIVE_BEFORE = {",", "dear", "my", "oh", "o", "ah", "hey", "hi", "hello", "yes", "no",
                    "well", "look", "listen", "please", "thanks", "sorry", "poor", "dearest"}


class _Attributor:
    """Walks a chapter's paragraphs, remembering who was mentioned and who spoke."""

    RECENT = 40  # mentions remembered for pronoun resolution
    CONVERSATION_GAP = 3  # narration-only paragraphs that end a conversation
    REMEMBERED = 6  # speakers of a conversation remembered for turn-taking

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.recent: deque[str] = deque(maxlen=self.RECENT)
        self.speakers: list[str] = []  # speaker of each recent turn of the conversation
        self.last_addressee: str | None = None
        self.gap = 0
        self.total_mentions = 0
        self.subjects: dict[str, tuple[str, int]] = {}  # gender → last subject named, when
        self.latest_of_gender: dict[str, dict[str, int]] = {}  # see _mention
        self.cast_people = set(cast.names.values()) | set(cast.epithets.values())
        self.known = self.cast_people | {cast.narrator}
        self.made: dict[int, Quote] = {}  # id of a QuoteSpan → its Quote, for continuations
        self.described: dict[str, str] = {}  # descriptions that spoke ("old man") → speaker
        # first words of known descriptions, to skip most determiners fast
        self.title_holders, self.single_titles, self.title_re = cast.titles()
        # characters called by a title of an elder relative ("Uncle John"): no one's cousin or companion
        self.elders = {name for title in _ELDER_TITLES for name in self.title_holders.get(title, ())}
        self.description_starts = {key.split()[0] for key in cast.epithets} | set(self.single_titles)
        self.quote_before: QuoteSpan | None = None  # the quote just before the narration being read
        # speakers a turn settles once read: an unresolved "he" (or "the man"
        # it was taken for), and the other party of "was the reply"
        self.unresolved = {_SOMEONE, _REPLIER}
        self.named_speakers: set[str] = set()  # characters named speaking ("said Kitty"): people
        # characters named in narration, not only in speech → the paragraph where first
        self.narrated: dict[str, int] = {}
        self.paragraphs_read = -1  # index of the paragraph being read
        self.paragraph_starts: list[int] = []  # mentions made before each paragraph read
        self.last_named: dict[str, tuple[str, int]] = {}  # gender → last character named in narration, when
        self.strangers: set[str] = set()  # described people brought in as new ("a thin gentleman")
        # described people of no known sex that a "he" or "she" was taken for ("the doctor"):
        # weaker than own_sex, it only keeps them from being renamed to someone of the
        # other sex and never changes whom a later pronoun finds (treating it as own_sex
        # lowered LitBank B-cubed F1 from 87.9 to 87.3)
        self.pronoun_gender: dict[str, str] = {}
        self.own_sex: dict[str, str] = {}  # described people's sex, shown by "his"/"her" (see _learn_sex)
        self._sex: dict[str, str] = {}  # what gender() found, kept: it is asked for every mention
        self.renamed: dict[str, str] = {}  # described people a name was later found for
        self.last_paragraph_quotes: list[Quote] = []  # the quotes of the paragraph just read
        self.aside = False  # the last quote was said to oneself ("he muttered to himself")
        self.quote_heard = ""  # the text of the last quote attributed, which the next may echo

    def new_chapter(self) -> None:
        """Forget the conversation and the unnamed people of the chapter before.

        A new chapter opens a new scene, and "the girl" of one chapter is
        seldom the one the next describes the same way: only named
        characters stay in sight.
        """
        self.speakers.clear()
        self.last_addressee = None
        self.gap = 0
        named = self.cast_people
        self.recent = deque((name for name in self.recent if name in named), maxlen=self.RECENT)
        for latest in self.latest_of_gender.values():
            for name in [name for name in latest if name not in named]:
                del latest[name]
        self.subjects = {g: s for g, s in self.subjects.items() if s[0] in named}
        self.described = {key: name for key, name in self.described.items() if name in named}
        self.last_paragraph_quotes = []
        self.aside = False

    # -- mentions

    def gender(self, name: str) -> str:
        """A character's sex: the cast's, else the one the narration showed (see :meth:`_learn_sex`).

        Else a described person's role may tell it ("the nurse": see ``_ROLE_SEX``).
        """
        sex = self._sex.get(name)
        if sex is None:
            sex = self._sex[name] = self.cast.gender(name) or self.own_sex.get(name, "") or (
                _ROLE_SEX.get(name.split()[-1].lower(), "") if name.startswith(("the ", "his ", "her ")) else "")
        return sex

    def _learn_sex(self, name: str, sex: str) -> None:
        """Take ``sex`` for a described person of no sex by the word ("the surgeon … his face").

        From now on a "he" or "she" may mean them: they move from the
        people of unknown sex to the ones of that sex, keeping their place.
        """
        if not sex or self.gender(name):
            return
        self.own_sex[name] = self._sex[name] = sex
        self.pronoun_gender.setdefault(name, sex)
        when = self.latest_of_gender.get("", {}).pop(name, None)
        if when is not None:
            self.latest_of_gender.setdefault(sex, {})[name] = when

    def _mention(self, name: str) -> None:
        self.recent.append(name)
        self.total_mentions += 1
        # the last few distinct names of each gender, newest last, with when
        gender = self.gender(name)
        latest = self.latest_of_gender.get(gender)
        if latest is None:
            latest = self.latest_of_gender[gender] = {}
        latest.pop(name, None)
        latest[name] = self.total_mentions
        if len(latest) > 4:
            del latest[next(iter(latest))]

    def resolve_pronoun(self, gender: str, avoid: str | None = None) -> str | None:
        """The most recently mentioned character of that gender.

        A sentence subject of that gender among the last six mentions wins
        over a later object ("Giles hands Xander the book. He …" is Giles),
        but not over one named in a later paragraph: a new paragraph turning
        to someone ("… did not escape the ears of Mary.") moves the
        attention to them.
        A described subject of no known sex ("The parson rode nearer. “…,”
        he said.") mentioned last of all, after that subject, is meant
        first: a word like "parson" tells no sex, but the pronoun follows
        straight on from it; it is then taken to be of that sex.
        Only the last :attr:`RECENT` mentions count.  Else a described
        person of unknown gender ("the conductor") may be meant, and a name
        of unknown gender only once it was named speaking ("said Kitty"):
        places and groups pass for names too often ("in London … she
        said"); else the pronoun is someone unnamed (see :meth:`_unnamed`).
        """
        subject, when = self.subjects.get(gender, ("", 0))
        described, described_when = self.subjects.get("", ("", 0)) if gender else ("", 0)
        if described and described != avoid and when < described_when == self.total_mentions \
                and described not in self.cast_people and self.pronoun_gender.get(described, gender) == gender:
            self.pronoun_gender[described] = gender
            return described
        if subject and subject != avoid and self.total_mentions - when < 6 \
                and not self._named_after_paragraph_of(gender, subject, when):
            return subject
        horizon = self.total_mentions - self.RECENT
        for wanted in (gender, ""):
            for name, when in reversed(self.latest_of_gender.get(wanted, {}).items()):
                if when > horizon and name != avoid and (wanted or name in self.known and (
                        not gender or name not in self.cast_people or name in self.named_speakers)
                        and name != self.cast.narrator):
                    if gender and not wanted and name not in self.cast_people:
                        self.pronoun_gender.setdefault(name, gender)
                    return name
        return None

    def _named_after_paragraph_of(self, gender: str, subject: str, when: int) -> bool:
        """Whether narration named someone of ``gender`` but ``subject`` in a paragraph after mention ``when``'s."""
        paragraph = bisect_left(self.paragraph_starts, when) - 1
        named, named_when = self.last_named.get(gender, ("", 0))
        return named != subject and paragraph + 1 < len(self.paragraph_starts) \
            and named_when > self.paragraph_starts[paragraph + 1]

    def chunk(self, text: str, after_quote: bool = False) -> _Chunk:
        """Tokenise narration, resolve its names and pronouns, update recency.

        ``after_quote``: the narration follows a quote, so a description
        opening it may be the quote's speaker ("…,” laughed the saloon-keeper).
        """
        tokens = _tokens(text)
        if not tokens:  # quotes back to back ("A" "B") or a paragraph opening with one
            return _Chunk(tokens, {}, {})
        found = self.cast.find_names(tokens) if self.cast.mentions_a_name(text) else []
        names = {i: j for i, j, _ in found}
        canon = {i: c for i, _, c in found}
        refs: dict[int, str] = {}
        marks: dict[int, int] = {}
        last_end = -2  # index of the last sentence end (-2: the first token is at position 1)
        prev_end = last_say = -2
        learnt: list[tuple[int, str]] = []  # (end, person) of people the narration may describe
        clause_pronoun: int | None = None  # a "he"/"she" opening the clause being read
        for i, tok in enumerate(tokens):
            kind = tok.kind
            if kind == "end":
                prev_end, last_end = last_end, i
                clause_pronoun = None
                continue
            if not kind and i not in canon:
                if tok.breaks_clause:
                    clause_pronoun = None
                continue
            if kind == "say":
                last_say = i
                if i not in canon:
                    continue
            sentence_pos = i - last_end - 1
            epithet = None
            if kind == "det":
                marks[i] = self.total_mentions
                epithet = self._epithet(tokens, i)
            if i in canon:
                if clause_pronoun is not None and _same_person_named(refs[clause_pronoun], canon[i]):
                    # "He waved Hale over": a pronoun is never the one its own clause goes on to name
                    sex = _GENDER_PRONOUNS[tokens[clause_pronoun].low]
                    refs[clause_pronoun] = self.resolve_pronoun(sex, avoid=refs[clause_pronoun]) or self._unnamed(sex)
                clause_pronoun = None
                refs[i] = canon[i]
                self.narrated.setdefault(canon[i], self.paragraphs_read)
                self._mention(canon[i])
                self.last_named[self.gender(canon[i])] = (canon[i], self.total_mentions)
                if sentence_pos <= 2 or _past_verb_at(tokens, names[i]) or _pronoun_partner_at(tokens, names[i]) \
                        or _experiencer_at(tokens, max(last_end + 1, 0), i):
                    # "Hal returned", also after an opening phrase ("At that moment Hal returned"),
                    # beside a pronoun ("…, Ward and I met again.") or told of ("It seemed to Hal …")
                    self.subjects[self.gender(canon[i])] = (canon[i], self.total_mentions)
            elif epithet:
                refs[i], names[i] = epithet
                self._mention(epithet[0])
                if sentence_pos <= 1 or _after_opening_phrase(tokens, max(last_end + 1, 0), i):
                    # "The doctor came back. … he announced", "In the hall the doctor paused."
                    self._learn_sex(epithet[0], _own_possessive_sex(tokens, epithet[1]))
                    self.subjects[self.gender(epithet[0])] = (epithet[0], self.total_mentions)
            elif tok.low in _DESCRIBED_SUBJECT_STARTS and (sentence_pos <= 1 or tokens[i - 1].text == ","
                                                           or _after_opening_phrase(tokens, max(last_end + 1, 0), i)) \
                    and (end := self._person_noun_end(tokens, i)) \
                    and not (end < len(tokens) and tokens[end].text in "!?") \
                    and not (tok.low != "the" and _generic_statement(tokens, end)):
                # "The woman did not answer. … she whispered": a described subject
                # ("A man's voice …" introduces "the man"; "My father's face
                # brightened. … he would say" is the narrator's father), also
                # after an opening phrase ("Concerning that night, the man spoke …",
                # "In a moment the nurse came back");
                # "This little boy came closer" is the boy met before;
                # "One girl stood apart" brings in someone new, as "a girl" does
                phrase = [*tokens[i:end - 1], _Token(_possessed(tokens[end - 1].text))]
                if tok.low == "one":
                    phrase[0] = _Token("a")
                ref = refs[i] = self.description(phrase, None)
                names[i] = end
                self._mention(ref)
                self._learn_sex(ref, _own_possessive_sex(tokens, end))
                self.subjects[self.gender(ref)] = (ref, self.total_mentions)
            elif tok.low == "the" and sentence_pos <= 1 and i + 1 not in canon \
                    and (end := self._titled_person_end(tokens, i)):
                # "The Mem Sahib wrung her hands. “…,” she cried": a title
                # written as a name is someone, the "she" who speaks next
                ref = refs[i] = self.description(tokens[i:end], None)
                names[i] = end
                self._mention(ref)
                self._learn_sex(ref, _own_possessive_sex(tokens, end))
                self.subjects[self.gender(ref)] = (ref, self.total_mentions)
            elif after_quote and i <= 3 and tok.low in ("the", "a", "an") and i + 1 not in canon \
                    and (end := self._speaking_description_end(tokens, i)):
                # "“…,” laughed the saloon-keeper. “…,” he added": the speaker
                # named right after a quote is met before the pronoun after it
                ref = refs[i] = self.description(tokens[i:end], None)
                names[i] = end
                self._mention(ref)
                self.subjects[self.gender(ref)] = (ref, self.total_mentions)
            elif after_quote and 0 < i <= 3 and tok.low in ("this", "that") and tokens[i - 1].speech_verb \
                    and (end := self._speaking_description_end(tokens, i)) \
                    and (ref := self._same_described(tokens[i:end], list(self.recent)[:-16:-1], pointed=True)):
                # "“…?” pursued this vivacious lad. … “…,” he declared": "this lad"
                # points back at a described person, who speaks and is the "he"
                refs[i], names[i] = ref, end
                self._mention(ref)
                self.subjects[self.gender(ref)] = (ref, self.total_mentions)
            elif kind == "I" and not (i and tokens[i - 1].low in _HEADING_WORDS):  # not "Chapter I"
                refs[i] = self.cast.narrator
            elif tok.low in _GENDER_PRONOUNS:
                ref = self.resolve_pronoun(_GENDER_PRONOUNS[tok.low])
                if ref is None and tok.low in _SUBJECT_PRONOUNS:
                    ref = self._unnamed(_GENDER_PRONOUNS[tok.low])
                if ref is not None:
                    refs[i] = ref
                    if tok.low in _SUBJECT_PRONOUNS:
                        self._mention(ref)
                        if tok.low != "i" and (sentence_pos == 0 or tokens[i - 1].text in ",;:"
                                               or tokens[i - 1].low in _CLAUSE_OPENERS):
                            clause_pronoun = i
            if i in refs and (i in names or tok.low in _SUBJECT_PRONOUNS) and refs[i] != self.cast.narrator:
                learnt.append((names.get(i, i + 1), refs[i]))
        for end, ref in learnt:  # known from the next chunk on: "He was an old man" mentions him once
            self._learn_description(tokens, end, ref)
        for i, c in canon.items():
            self._learn_apposition(tokens, i, c)
        return _Chunk(tokens, refs, names, (prev_end, last_end), last_say, marks)

    def _unnamed(self, gender: str) -> str:
        """The person a "he" or "she" means when no one of that gender is known yet.

        ("“A fire,” he cried." before the stranger is named: his quotes
        still go together, under "the man", and a later vocative may name him.)
        """
        key = _UNNAMED[gender]
        name = self.described.get(key)
        if name is None:
            name = "the " + key
            self._describe(key, name)
            self.known.add(name)
        self.unresolved.add(name)
        return name

    def _learn_description(self, tokens: Sequence[_Token], end: int, ref: str) -> None:
        """Remember a description the narration gives the person ``ref`` ending at ``end``.

        ("He was an old man, of heavy build", "the man, who was a porter"
        or "Mr. Hale, the old gentleman who …": "the old man", "the
        porter", "the old gentleman" is that person from now on, even if
        it stood for someone unnamed.)  A bare "man" or "woman" says too
        little, and a description given a named character stays theirs.
        """
        if end + 3 < len(tokens) and tokens[end].text == "," and tokens[end + 1].low == "who" \
                and tokens[end + 2].low in ("was", "is"):
            end += 2  # ", who was a porter" says what "was a porter" does
        if end + 2 >= len(tokens) or tokens[end + 1].low not in ("a", "an", "the"):
            return
        link = tokens[end].low
        if link not in ("was", "is", ","):
            return
        noun_end = self._person_noun_end(tokens, end + 1)
        if noun_end is None or _possessed(tokens[noun_end - 1].low) != tokens[noun_end - 1].low \
                or link == "," and noun_end < len(tokens) and tokens[noun_end].low in ("and", "or"):
            return  # "was the old man's son", "Tom, the boy and Jim"
        key = " ".join(t.low for t in tokens[end + 2:noun_end])
        if key not in _UNNAMED.values() and self.described.get(key) not in self.cast_people \
                and {self.gender(ref), _NOUN_GENDER.get(key.split()[-1], "")} != {"m", "f"}:
            self._describe(key, ref)

    def _learn_apposition(self, tokens: Sequence[_Token], i: int, name: str) -> None:
        """Remember a description set before the name at ``i`` with a comma ("the painter himself, Owen Marsh").

        The person noun (or the "himself"/"herself" after any noun) says it
        is that person's description: "answered the artist" later is them.
        A narrator's "my cousin, John Ward" likewise makes a later
        "My cousin rushed in" him: "my" always points from the same "I".
        """
        k = i - 1
        if k < 2 or tokens[k].text != ",":
            return
        own = tokens[k - 1].low in ("himself", "herself")
        end = k - 1 if own else k
        for start in range(end - 1, max(end - 4, -1), -1):
            if tokens[start].low in ("the", "my"):
                break
        else:
            return
        words = tokens[start + 1:end]
        if not words or not all(_description_word(t) and not t.capitalised for t in words) \
                or not (own or words[-1].low in _PERSON_WORDS):
            return
        key = " ".join(t.low for t in words)
        if key not in _UNNAMED.values() and self.described.get(key) not in self.cast_people \
                and {self.gender(name), _NOUN_GENDER.get(words[-1].low, "")} != {"m", "f"}:
            self._describe(key, name)

    @staticmethod
    def _person_noun_end(tokens: Sequence[_Token], i: int) -> int | None:
        """End of "the [adjective] woman" (or "a man's", "the old doctor") at ``i``: a person.

        A role noun right after a man or woman belongs to the description
        ("a woman servant", "the man cook"): the role, not the sex, tells
        that person from the next woman the narration meets.
        """
        for j in range(i + 1, min(i + 4, len(tokens))):
            tok = tokens[j]
            if _possessed(tok.low) in _PERSON_NOUNS:
                if tok.low in _NOUN_GENDER and j + 1 < len(tokens) and _possessed(tokens[j + 1].low) in _ROLE_NOUNS:
                    return j + 2
                return j + 1
            if tok.capitalised or not _description_word(tok):
                return None
        return None

    @staticmethod
    def _titled_person_end(tokens: Sequence[_Token], i: int) -> int | None:
        """End of a capitalised title after "The" at ``i`` that acts as a person ("The Squire shook his head").

        One or two capitalised words, then a lower-case verb, and a "his"
        or "her" (or "himself", "herself") within the next few words of the
        sentence: places and institutions ("The Thames", "The Government")
        seldom have hands or heads of their own.
        """
        j = i + 1
        while j < len(tokens) and j - i <= 2 and tokens[j].name_like:
            j += 1
        if j == i + 1 or j >= len(tokens) or not tokens[j].text.islower() or not tokens[j].text.isalpha():
            return None
        for tok in tokens[j + 1:j + 6]:
            if tok.kind == "end":
                return None
            if tok.low in ("his", "her", "himself", "herself"):
                return j
        return None

    @staticmethod
    def _speaking_description_end(tokens: Sequence[_Token], i: int) -> int | None:
        """End of a description at ``i`` that is the subject of a say-verb ("laughed the saloon-keeper"), else None.

        The verb comes just before it, or just after it (at most one word between).
        """
        end = _description_end(tokens, i)
        if end == i + 1 or _group_word(tokens[end - 1].low):
            return None  # "the women", "the bolder spirits": no "he" or "she"
        if i > 0 and tokens[i - 1].speech_verb:
            return end
        for k in range(end, min(end + 2, len(tokens))):
            if tokens[k].speech_verb:  # "the saloon-keeper demanded"
                # not "the women began to weep", nor the passive "the reflection suggested by"
                return end if not (k + 1 < len(tokens) and tokens[k + 1].low in ("to", "by")) else None
            if not tokens[k].text.islower():
                break
        return None

    def _epithet(self, tokens: Sequence[_Token], i: int) -> tuple[str, int] | None:
        """(character, end index) for a description starting at token ``i``, if known."""
        if i + 1 >= len(tokens) or tokens[i + 1].low not in self.description_starts:
            return None
        for n in (3, 2, 1):
            if i + n >= len(tokens):
                continue
            words = " ".join(t.low for t in tokens[i + 1:i + 1 + n])
            if words in self.described:
                return self._described_again(words), i + 1 + n
            if tokens[i].low == "the" and words in self.cast.epithets:
                return self.cast.epithets[words], i + 1 + n
            if n == 1 and tokens[i].low == "the" and words in self.single_titles:
                return self.single_titles[words], i + 2  # "the doctor" is Dr. Archie
        return None

    def _described_again(self, key: str) -> str:
        """Who a description met before ("the little boy") names when the narration uses it again.

        The unnamed person it first stood for, while they are still in
        sight.  A boy or girl ("the little boy", "the lass") out of sight
        (none of the last 15 mentions) when a named character of that sex
        is in sight is that character: a child is mostly met before the
        narration names them ("The little boy, still sleeping, was taken
        away") and then called both ways, while a stranger child of a scene
        long past is seldom back unannounced.  Grown men and women are
        left alone: "the old man" met again is often a stranger still.
        """
        name = self.described[key]
        head = key.split()[-1]
        gender = _NOUN_GENDER.get(head, "")
        if not gender or _SYNONYM_SET.get(head) not in _CHILD_HEADS or name in self.cast_people:
            return name
        in_sight = list(self.recent)[:-16:-1]
        if name in in_sight:
            return name
        named = next((other for other in in_sight if other in self.cast_people
                      and self.cast.gender(other) == gender), None)
        if named is None:
            return name
        self._describe(key, named)
        return named

    # -- say-verb clauses

    def _subject_at(self, ch: _Chunk, i: int) -> tuple[str, str, int] | None:
        """A speaker phrase starting at token ``i``: (speaker, method, end index).

        A voice (or tone, words …) "of" someone is that someone's ("cried
        the voice of John": John speaks, not a person called "the voice").
        A bare "the other" ("“…,” said the other, mildly.") is the other
        party of the conversation, the latest speaker but the last one: it
        sets one of two people against the one just named, so it is no new
        person of its own.  Likewise "his companion" ("…,” replied his
        companion.", "Tom's companion") is the latest speaker other than the
        one "his" (or the name) stands for: the person he travels and talks
        with.  So is "his cousin", of the same generation: not one called by
        an elder relative's title ("Uncle John"), who would be his uncle,
        not his cousin.
        """
        toks = ch.tokens
        if i >= len(toks):
            return None
        tok = toks[i]
        j = ch.names.get(i, 0)
        if j and toks[j - 1].low in _SPEECH_NOUNS and j + 1 < len(toks) and toks[j].low == "of" \
                and (owner := self._subject_at(ch, j + 1)) is not None:
            return owner  # "cried the voice of John", "said the voice of his mother"
        if tok.low == "the" and i + 1 < len(toks) and toks[i + 1].low == "other" and _description_end(toks, i) == i + 2 \
                and (other := self._replier(None)) is not None:
            return other.speaker, "explicit", i + 2  # "said the other": the other of the two talking
        if (i in ch.names or tok.low in ("his", "her")) and (end := self._companion_end(ch, i)) is not None \
                and (owner := ch.refs.get(i)) is not None \
                and (partner := next((s for s in reversed(self.speakers)
                                      if s != owner and s not in self.elders), None)):
            return partner, "explicit", end  # "replied his companion": the one he talks with
        if i in ch.names:
            speaker, end = ch.refs.get(i, tok.text), ch.names[i]
            if toks[end - 1].low in _SPEECH_NOUNS:
                self._voice_seen(toks, end, speaker)
            return speaker, "explicit", end
        if tok.low in _SUBJECT_PRONOUNS:
            ref = ch.refs.get(i)
            # an unresolved "he said" still says the speaker is someone unnamed
            return ref or _SOMEONE, "pronoun", i + 1
        if someone := self._indefinite_speaker(toks, i):
            return someone
        if tok.low == "another":  # "said another (woman)": someone new, not the one last met
            j = _description_end(toks, i)
            return self.description(toks[i:j], None), "explicit", j
        family_word = i + 1 < len(toks) and toks[i + 1].low in _NOUN_GENDER
        if tok.low in ("his", "her") and i + 1 < len(toks) and toks[i + 1].low in _SPEECH_NOUNS and i in ch.refs:
            return ch.refs[i], "pronoun", i + 2  # "his advice concluded", "her voice went on"
        if tok.low in _DETERMINERS and (tok.low not in ("his", "her") or family_word):
            j = _description_end(toks, i)
            if j == i + 1:
                return None
            known = self.cast.find_names(toks[i + 1:j])
            if known:
                return known[0][2], "explicit", j
            speaker = self.description(toks[i:j], ch.refs.get(i), ch.marks.get(i))
            self._voice_seen(toks, j, speaker)
            return speaker, "explicit", j
        return None

    def _voice_seen(self, toks: Sequence[_Token], j: int, voice: str) -> None:
        """Give ``voice`` the person its own clause shows next, after the voice phrase ending at ``j``.

        ("“Stop!” cried a hoarse voice, as a man rose from the ditch.")
        The voice is first heard and then seen (the caller checks that the
        phrase ends on "voice" or another speech noun): the person who
        appears in the same breath is its owner, so "the man" who speaks on
        is that voice, not someone new, nor the "he" of earlier narration
        that no one named.
        """
        k = j + (j < len(toks) and toks[j].text == ",")
        if k + 1 < len(toks) and toks[k].low in _CLAUSE_OPENERS \
                and toks[k + 1].low in ("a", "an") and (end := self._person_noun_end(toks, k + 1)) is not None:
            key = " ".join(t.low for t in toks[k + 2:end])
            known = self.described.get(key, voice)
            if known == voice or known in self.unresolved:
                self._describe(key, voice)
                self._learn_sex(voice, _NOUN_GENDER.get(toks[end - 1].low, ""))

    @staticmethod
    def _companion_end(ch: _Chunk, i: int) -> int | None:
        """End of "his companion" (or "her cousin", "Tom's comrade") at ``i``, else None."""
        toks = ch.tokens
        owner_end = ch.names.get(i)
        if owner_end is not None and _possessed(toks[owner_end - 1].text) == toks[owner_end - 1].text:
            owner_end = None  # "Tom companion" is no possessive
        if owner_end is None and i < len(toks) and toks[i].low in ("his", "her"):
            owner_end = i + 1
        if owner_end is not None and owner_end < len(toks) and toks[owner_end].low in _PARTNER_WORDS:
            return owner_end + 1
        return None

    def _indefinite_speaker(self, toks: Sequence[_Token], i: int) -> tuple[str, str, int] | None:
        """An indefinite speaker at ``i`` ("somebody exclaimed", "cried one of the women"), else None.

        Somebody unnamed, or one of a group, is no one met so far: their
        quote goes to a speaker of its own ("somebody", "somebody else",
        "one of the women"), not to the last character in sight.
        """
        low = toks[i].low
        following = [t.low for t in toks[i + 1:i + 3]]
        if low in ("somebody", "someone") or low == "some" and following[:1] == ["one"]:
            j = i + 1 if low != "some" else i + 2
            if j < len(toks) and toks[j].low == "else":
                j += 1
        elif low == "one" and following in (["of", "the"], ["of", "those"]):
            j = _description_end(toks, i + 2)  # "one of the women"
        elif low == "one" and following[:2] == ["of", "them"]:
            j = i + 3
        else:
            return None
        name = " ".join(t.low for t in toks[i:j])
        self.known.add(name)
        return name, "explicit", j

    def description(self, phrase: Sequence[_Token], possessor: str | None, mark: int | None = None) -> str:
        """Who a descriptive speaker ("the old man", "her mother") is.

        A known name closing the description ("the poet Syme") names it.
        A description seen before names the same person.  A title held by
        one character only names that character ("his uncle" → "Uncle
        John", "the doctor" → "Dr. Archie").  Family words
        after "his"/"her" go to the one character of that gender sharing
        the possessor's surname ("his wife" of Mr. Bennet → Mrs. Bennet).
        Other parents and spouses ("her mother") go to the one married
        character of that gender in sight.  "This" or "that" points back
        at a described person in sight ("this little boy" is "the small
        boy" met before, not a named boy).  A bare "the man" (or "the
        woman" …) is an unnamed person of unknown sex in sight ("a rough
        voice"), if any (see :meth:`_unnamed_speaker`).  Another gendered one ("the
        girl") is taken for the most recently mentioned known character of
        that gender.  Only mentions made before the phrase count (``mark``
        of them; all when None), not names its paragraph brings up later.
        Otherwise the
        description becomes a character of its own, named as written.
        """
        for size in (2, 1):  # "the poet Syme" is Syme
            named = phrase[-size:]
            if len(phrase) > size and all(t.capitalised for t in named):
                canon = self.cast.canonical(" ".join(t.text for t in named))
                if canon:
                    return canon
        key = " ".join(t.low for t in phrase[1:])
        if key in self.described and phrase[0].low != "another":  # "another woman" is someone new
            return self.described[key]
        gender = _NOUN_GENDER.get(phrase[-1].low, "")
        holders = self.title_holders.get(key, ())
        if len(holders) == 1:  # "his uncle" is Uncle John, "the doctor" Dr. Archie
            return next(iter(holders))
        # the last 15 mentions made before the phrase, newest first
        later = self.total_mentions - mark if mark is not None else 0
        recent = list(self.recent)
        in_sight = recent[max(0, len(recent) - later - 15):len(recent) - later][::-1]
        if holders and phrase[0].low == "the":  # of two sergeants, the one just seen
            seen = next((name for name in in_sight if name in holders), None)
            if seen:
                return seen
        if phrase[0].low in ("this", "that") and (same := self._same_described(phrase, in_sight, pointed=True)):
            self._describe(key, same)  # "this little boy" is the boy met, not a named one
            return same
        if phrase[0].low in ("his", "her"):
            # "“My dear Mr. Bennet,” said his lady": "his" is the one addressed
            addressed = self.vocative(self.quote_before.text) if self.quote_before else None
            relative = self._relative(addressed, gender) or self._relative(possessor, gender) \
                or self._parent_in_sight(phrase[-1].low, gender, in_sight)
            if relative:
                return relative
        elif phrase[0].low == "the" and key in _ADULTS \
                and (unnamed := self._unnamed_speaker(recent[:len(recent) - later][::-1])):
            self._describe(key, unnamed)  # "said a rough voice. … said the man"
            return unnamed
        elif gender and phrase[0].low not in ("my", "your", "our", "their", "a", "an", "another"):
            # "the girl" may be a named girl, but not the one who just spoke
            # ("my father" is no one met so far, "a woman" someone new)
            talking = set(self.speakers[-1:])
            for name in in_sight:
                if name in self.cast_people and self.cast.gender(name) == gender \
                        and name not in talking:
                    if phrase[-1].low in _FAMILY_ROLES:  # "the mother" stays who she was
                        self._describe(key, name)
                    return name
        det = "the" if phrase[0].low in ("a", "an", "this", "that") else phrase[0].low
        if det == "the" and (same := self._same_described(phrase, in_sight)):
            self._describe(key, same)
            return same
        name = " ".join([det, *(t.text for t in phrase[1:])]).replace(" - ", "-")
        if phrase[0].low in ("a", "an", "another") and not any(t.capitalised for t in phrase[1:]):
            self.strangers.add(name)  # "a thin gentleman", "another voice", not "a man named Arthur"
        if key:  # not a bare "another"
            self._describe(key, name)
        self.known.add(name)
        return name

    def _unnamed_speaker(self, in_sight: Sequence[str]) -> str | None:
        """The described person of unknown sex in sight ("the rough voice") that "the man" names.

        A narrator calls a named adult by name; "the man" (or "the woman",
        "the gentleman", "the lady") is someone the story has not named,
        most often the one only heard so far ("said a rough voice. … said
        the man"), not the named character just mentioned.  ``in_sight``
        reaches back over all remembered mentions: a long passage about
        the named ones ("he" this, "he" that) does not make the stranger
        met before it someone else when "the man" turns up again.
        """
        for name in in_sight:
            if name not in self.cast_people and name != self.cast.narrator and name in self.described.values() \
                    and not self.gender(name):
                return name
        return None

    def _same_described(self, phrase: Sequence[_Token], in_sight: Sequence[str],
                        pointed: bool = False) -> str | None:
        """The described person in sight that ``phrase`` ("the lad") names again by a synonym ("the boy").

        A child is a boy or a girl: "the child" after "a small boy" is him.
        ``pointed``: the phrase opens with "this" or "that", which points
        back at someone met, so its adjectives need not be theirs ("a small
        boy" … "this vivacious lad").  Nor need the adjectives of someone
        known so far only as an unresolved "he" or "she" (see
        :meth:`_unnamed`): "the woman" stands for no description, so
        "said the tall lady" after "she asked" describes her for the first
        time.
        """
        heads = _CHILD_HEADS if phrase[-1].low in _CHILD_WORDS else {_SYNONYM_SET.get(phrase[-1].low)} - {None}
        adjectives = {t.low for t in phrase[1:-1]}
        generic = adjectives and phrase[-1].low in _NOUN_GENDER
        if not heads and not generic:
            return None
        for name in in_sight:
            words = name.lower().split()
            if words[0] == "the" and (pointed or adjectives <= set(words[1:-1]) or name in self.unresolved) \
                    and (_SYNONYM_SET.get(words[-1]) in heads or generic and words[-1] in _ROLE_NOUNS) \
                    and self.described.get(" ".join(words[1:])) == name:
                return name
        return None

    def _describe(self, key: str, name: str) -> None:
        """Remember that the description ``key`` ("old man") names ``name``."""
        self.described[key] = name
        self.description_starts.add(key.split()[0])

    def _parent_in_sight(self, role: str, gender: str, in_sight: Sequence[str]) -> str | None:
        """For "her mother", "his wife": the one married character of ``gender`` among ``in_sight``.

        ("Mrs. Bennet" is the "her mother" of a daughter the cast knows
        only by her first name.)  Only parents and spouses, and only when
        exactly one "Mrs."/"Mr." (or "Lady", "Sir" …) of that gender was
        mentioned lately.
        """
        if role not in _PARENTS_AND_SPOUSES or not gender:
            return None
        found = {name for name in in_sight if name in self.cast_people
                 and name.split()[0].lower().rstrip(".") in _MARRIED_TITLES and self.cast.gender(name) == gender}
        return found.pop() if len(found) == 1 else None

    def _relative(self, possessor: str | None, gender: str) -> str | None:
        """The only cast member of ``gender`` sharing the possessor's surname."""
        if not possessor or " " not in possessor or not gender:
            return None
        surname = possessor.split()[-1]
        family = {name for name in self.cast_people if name != possessor
                  and name.split()[-1] == surname and self.cast.gender(name) == gender}
        return family.pop() if len(family) == 1 else None

    @staticmethod
    def _verb_at(toks: Sequence[_Token], i: int) -> int | None:
        """Index after a say-verb at ``i`` (after adverbs), or None.

        "replied that …" is reported speech, not an attribution.
        """
        while i < len(toks) and toks[i].low.endswith("ly") and toks[i].low not in SAY_VERBS:
            i += 1
        end = None
        if i < len(toks) and toks[i].low in SAY_VERBS:
            end = i + 1
        elif i + 1 < len(toks) and toks[i].low in _PHRASAL_STARTS and toks[i + 1].low == PHRASAL_SAY[toks[i].low]:
            end = i + 2
        if end is not None and end < len(toks) and toks[end].low in _REPORTED:
            return None
        return end

    def _object_after(self, ch: _Chunk, i: int) -> str | None:
        """The person spoken to right after a say-verb ("tells her", "to Giles").

        "her" before a word for a person ("said to her son") is the
        possessor, not the one spoken to.
        """
        toks = ch.tokens
        if i < len(toks) and toks[i].low == "to":
            i += 1
        if i + 1 < len(toks) and toks[i].low == "her" and toks[i + 1].low in _PERSON_WORDS:
            return None  # "said to her son": someone of hers, unnamed here
        if i < len(toks) and toks[i].low in ("her", "him") or i in ch.names:
            return ch.refs.get(i)
        return None

    def _heard_speaker(self, ch: _Chunk, i: int) -> tuple[str, str, int] | None:
        """The one heard speaking in "heard her say", "heard one voice cry", with "heard" at ``i``.

        The listener is the clause's subject ("“…!” she heard one voice
        say."), but the words are those of the one heard, named between
        "heard" and a bare say-verb at most three words on: a quote told
        through a listener's ears belongs to the voice, not the listener.
        Returns (speaker, method, index after the say-verb), else None.
        """
        toks = ch.tokens
        if i >= len(toks) or toks[i].low not in _HEAR_VERBS:
            return None
        j = i + 1
        verb = next((k for k in range(j + 1, min(j + 4, len(toks))) if toks[k].low in _SAY_BASES), None)
        if verb is None:
            return None
        if verb == j + 1 and toks[j].low in ("him", "her") and j in ch.refs:
            return ch.refs[j], "pronoun", verb + 1
        if ch.names.get(j) == verb and j in ch.refs:
            return ch.refs[j], "explicit", verb + 1
        if (toks[j].low in _DETERMINERS or toks[j].low == "one" and toks[verb - 1].low in _SPEECH_NOUNS) \
                and all(_description_word(t) for t in toks[j + 1:verb]):
            # "one voice" is someone new; "her mother" someone of hers
            return self.description(toks[j:verb], ch.refs.get(j)), "explicit", verb + 1
        return None

    def after_clause(self, ch: _Chunk, quote: QuoteSpan | None = None,
                     opens_paragraph: bool = False) -> _Guess | None:
        """Attribution right after a quote: "Spike asks", "says Giles", "he tells her".

        ``quote`` is the quote the narration follows (its vocative names
        the "his" of "said his wife").  ``opens_paragraph``: that quote
        opens its paragraph, so "he added" after it may go on from the
        last speaker (see :meth:`_going_on`).
        """
        self.quote_before = quote
        toks = ch.tokens
        i = 0
        while i < len(toks) and toks[i].text in ",—–-)":
            i += 1
        after_verb = self._verb_at(toks, i)
        if after_verb is not None:  # inverted: "said Giles"
            j = after_verb
            while j < len(toks) and toks[j].low.endswith("ly"):
                j += 1
            subject = self._subject_at(ch, j)
            if subject is None and j + 1 in ch.names and toks[j].text.islower():
                subject = self._subject_at(ch, j + 1)  # "added little Amy", "cried poor Tom"
            addressee = None
        else:
            subject = self._subject_at(ch, i)
            if subject is None:
                if self._reply_announced(toks, i):
                    return _Guess(_REPLIER, "turn-taking", 0.6)  # "“A hundred,” was the reply."
                return None
            if heard := self._heard_speaker(ch, subject[2]):  # "“…!” she heard one voice say."
                return _Guess(heard[0], heard[1], 0.85 if heard[1] == "explicit" else 0.75)
            # "he said", "the boy half cried": at most one word between
            after_verb = self._verb_at(toks, subject[2])
            if after_verb is None and subject[2] + 1 < len(toks) and toks[subject[2]].text.islower():
                after_verb = self._verb_at(toks, subject[2] + 1)
            if after_verb is None:
                return None
            addressee = self._object_after(ch, after_verb)
        if subject is None:
            return None
        speaker, method, _ = subject
        if method == "pronoun" and toks[after_verb - 1].low in _REPLY_VERBS and self.speakers \
                and self.speakers[-1] == speaker:
            # one does not answer oneself: "he replied" is the other man
            speaker = self.resolve_pronoun(self.gender(speaker), avoid=speaker) or speaker
        elif method == "pronoun" and opens_paragraph and toks[after_verb - 1].low in _GOING_ON_WORDS:
            speaker = self._going_on(toks[subject[2] - 1].low) or speaker
        confidence = 0.95 if method == "explicit" else 0.85
        return _Guess(speaker, method, confidence, addressee)

    @staticmethod
    def _reply_announced(toks: Sequence[_Token], i: int) -> bool:
        """Whether narration at ``i`` calls the quote before a reply ("was the reply", "came a harsh reply").

        Also a question following one ("quickly followed the query"): the
        words come from the other party, not from whoever spoke last.
        """
        while i < len(toks) and toks[i].low.endswith("ly"):
            i += 1
        if i + 2 >= len(toks) or toks[i].low not in ("was", "came", "followed") \
                or toks[i + 1].low not in ("the", "his", "her", "a", "an"):
            return False
        j = i + 2
        while j < min(i + 4, len(toks) - 1) and toks[j].text.islower() and _description_word(toks[j]) \
                and toks[j].low not in _ANNOUNCED_WORDS:
            j += 1
        return toks[j].low in _ANNOUNCED_WORDS

    def _going_on(self, pronoun: str) -> str | None:
        """The last speaker, when "he added" opening a paragraph may be them, else None.

        ("“…,” laughed the saloon-keeper. / “…,” he added.")  Adding to or
        going on with one's words continues the last turn: the pronoun is
        its speaker when of that sex, or of a sex not known yet, however
        many others of that sex the narration named before.
        """
        sex = _GENDER_PRONOUNS.get(pronoun)
        last = self.speakers[-1] if self.speakers else None
        if sex is None or last is None or last == self.cast.narrator \
                or (self.gender(last) or self.pronoun_gender.get(last, sex)) != sex:
            return None
        return last

    def say_clauses(self, ch: _Chunk, last_sentence_only: bool) -> _Guess | None:
        """The last "X … says" clause in narration (before a quote).

        "as he spoke." (or "while she whispered.") closing a sentence that
        more narration follows tells what someone did while saying the
        words before: it introduces no quote after it ("He paced the room
        as he spoke. I looked up. “…”" is not his).  A subordinate clause
        set off by commas ("Tom's companion, when he had packed, turned
        and said:") has a subject of its own; a past verb after its closing
        comma goes back to the main clause's subject, which a possessive
        with "companion" makes the one Tom talks with, not Tom.  "All the ladies
        said" (or "both the men") is the group speaking together.
        """
        toks = ch.tokens
        begin = 0
        if last_sentence_only:  # after the last sentence end but one that ends the narration
            prev_end, last_end = ch.ends
            end = last_end if last_end < len(toks) - 1 else prev_end
            begin = end + 1 if end >= 0 else 0
        # Only a verb of speaking yields a clause (or changes any state), so
        # the scan can stop after the last one and skip narration without.
        stop = ch.last_say + 1 if ch.last_say >= begin else begin
        best = None
        # the clause's subject: (speaker, method), or the index of a
        # description ("The old lady … said") resolved only if it speaks
        subject: tuple[str, str] | int | None = None
        # the subject of the main clause while a subordinate one ("when he
        # spoke to her") has its own: ", and then said" goes back to it
        main_subject: tuple[str, str] | int | None = None
        clause_start = begin
        for k in range(begin, stop):
            tok = toks[k]
            if tok.text in _SENTENCE_END:
                subject, main_subject, clause_start = None, None, k + 1
                continue
            opens_clause = k == clause_start or toks[k - 1].text in ",;:" \
                or toks[k - 1].low in _CLAUSE_OPENERS
            if main_subject is not None and tok.low in ("and", "but") and toks[k - 1].text == ",":
                subject, main_subject = main_subject, None
            if main_subject is not None and toks[k - 1].text == "," and _past_verb_at(toks, k):
                subject, main_subject = main_subject, None  # "X, when he had eaten, rose and said"
            if opens_clause and subject is None and (k in ch.names or tok.low in ("his", "her")) \
                    and self._companion_end(ch, k) is not None:
                subject = k  # "Tom's companion … said": not Tom
            elif k in ch.refs and (k in ch.names or tok.low in _SUBJECT_PRONOUNS):
                # "he", "she", "I" are always subjects; a name when it opens a clause
                if k not in ch.names or subject is None or opens_clause:
                    if k and toks[k - 1].low in _SUBORDINATORS and subject is not None:
                        main_subject = subject
                    subject = (ch.refs[k], "explicit" if k in ch.names else "pronoun")
            elif opens_clause and subject is None and tok.low in _DETERMINERS:
                subject = k
            elif opens_clause and subject is None and tok.low in ("all", "both") and k + 1 < stop \
                    and toks[k + 1].low == "the" and _group_word(toks[_description_end(toks, k + 1) - 1].low):
                subject = k + 1  # "All the ladies said …": the group speaks
            elif subject is not None and tok.speech_verb \
                    and (after := self._verb_at(toks, k)) and not (k > 0 and toks[k - 1].low in _NEGATIONS):
                if k > 1 and toks[k - 2].low in ("as", "while") and after < ch.ends[1] \
                        and toks[after].text in _SENTENCE_END:
                    continue
                if isinstance(subject, int):
                    found = self._subject_at(ch, subject)
                    if found is None:
                        subject = None
                        continue
                    subject = found[:2]
                best = _Guess(subject[0], subject[1], 0.85 if last_sentence_only else 0.75,
                              self._object_after(ch, k + 1))
        return self._answer_announced(ch) or best

    def _answer_announced(self, ch: _Chunk) -> _Guess | None:
        """The owner of "his answer" (or "her reply" …) in the last sentence of narration before a quote.

        ("I asked him if it was his. To this his answer was prompt. “No!”":
        the sentence names the words that follow as his, so he speaks them,
        whoever was said to speak before.)
        """
        toks = ch.tokens
        prev_end, end = ch.ends
        for k in range(max(prev_end + 1, 0), min(prev_end + 5, end - 1)):
            if toks[k].low in ("his", "her") and toks[k + 1].low in _REPLY_NOUNS and k in ch.refs:
                if end + 1 < len(toks) and not all(t.text in _TRAILING_MARKS for t in toks[end + 1:]):
                    return None
                return _Guess(ch.refs[k], "pronoun", 0.8)
        return None

    def _introducer(self, ch: _Chunk) -> _Guess | None:
        """The subject of the last clause of narration ending in a colon ("…, and Tom turned to her:").

        A colon introduces speech even without a verb of speaking; its
        clause's subject (a name or "he"/"she" opening the clause) speaks.
        """
        toks = ch.tokens
        start = max(ch.ends[1] + 1, 0)  # the colon ends no sentence: the last one is the clause's
        for k in range(len(toks) - 1, start - 1, -1):
            opens = k == start or toks[k - 1].text in ",;" or toks[k - 1].low in _CLAUSE_OPENERS
            if opens and k in ch.refs and ch.refs[k] in self.known \
                    and (k in ch.names or toks[k].low in _SUBJECT_PRONOUNS):
                return _Guess(ch.refs[k], "context", 0.6)
        return None

    def beat_subjects(self, chunks: Sequence[_Chunk]) -> list[str]:
        """Characters acting in a turn's narration, likeliest speaker first.

        One turn has one speaker: the paragraph's grammatical subject, so
        the actors before the turn's first quote come first, nearest the
        quote first ("Tom came in. Jo put the book down. … “Where is
        everyone?”" is Jo's), then those after it, in reading order.
        """
        before, *after = [self._actors(ch) for ch in chunks]
        return [*before[::-1], *(name for names in after for name in names)]

    def _actors(self, ch: _Chunk) -> list[str]:
        """Known characters in subject position in a stretch of narration, in order."""
        found = []
        sentence_pos = 0
        for k, tok in enumerate(ch.tokens):
            if tok.text in _SENTENCE_END:
                sentence_pos = -1
            elif k in ch.refs and ch.refs[k] in self.known and (
                tok.low in _SUBJECT_PRONOUNS
                or k in ch.names and (sentence_pos < 3 or ch.tokens[k - 1].text == ","
                                      or ch.tokens[k - 1].low in _CLAUSE_OPENERS)
            ):
                found.append(ch.refs[k])
            sentence_pos += 1
        return found

    def sentence_subject(self, ch: _Chunk, text: str, quote_end: int) -> str | None:
        """The known character opening the last sentence narration ends before a quote.

        ("… she answered. He leaned forward. “Yes, …”": the man speaks.)  Of
        a sentence of clauses joined by ", and", the last with a subject of
        its own counts ("Meg lit the lamp, and Jo sat up. “…”": Jo).  The
        subject opens its clause, or is a name before a past-tense verb
        after an opening phrase ("For a moment Jo stared. “…”").
        None when the narration ends no sentence ("… he said, “").  Between
        two quotes (the first ending at ``quote_end`` in ``text``; 0 when
        none) a lone sentence is the attribution of the first ("“Why?” said
        Tom. “Because.”") unless that quote ended with a full stop ("“I
        know.” Tom sighed. “Go on.”").  A short opening phrase of a
        preposition does not hide the subject ("In the hall the doctor
        paused. “…”"), nor does a clause before a comma ("The door opened,
        a man came in. “…”": the man speaks).  A subject who speaks in
        reported speech ("Dora mumbled that the room was cold.") has had
        that turn, told by the narrator: the quote after it answers, and
        gets no subject from this sentence.
        """
        toks = ch.tokens
        prev_end, end = ch.ends
        if end < 0 or end + 1 < len(toks) and not all(t.text in _TRAILING_MARKS for t in toks[end + 1:]):
            return None
        start = max(prev_end + 1, 0)
        if start == 0 and quote_end and not _ends_sentence(text, quote_end):
            return None
        refs = ch.refs
        clauses = [start] + [k + 1 for k in range(start + 1, end - 1)
                             if toks[k].low in ("and", "but") and toks[k - 1].text in ",;"
                             or toks[k].text == "," and _opens_clause_after_comma(ch, k + 1, end)]
        for clause in reversed(clauses):
            for k in range(clause, end):
                if k not in refs or refs[k] not in self.known or not (k in ch.names or toks[k].low in _SUBJECT_PRONOUNS):
                    continue
                if k < clause + 3 or k < clause + 6 and _after_opening_phrase(toks, clause, k) \
                        or k in ch.names and _past_verb_at(toks, ch.names[k]):
                    # "In the hall the doctor paused.", "For a moment Jo stared."
                    verb = ch.names.get(k, k + 1)
                    if verb + 1 < end and toks[verb].speech_verb and toks[verb + 1].low in _REPORTED:
                        return None  # "Dora mumbled that …": her turn, told; the quote answers it
                    return refs[k]
        return None

    # -- vocatives and turn-taking

    def vocative(self, quote_text: str) -> str | None:
        """The character addressed inside a quote ("Do me in, Slayer.", "Yes, uncle.", "No, mother.").

        A name opening the quote and ending its sentence ("Bingley.") or
        followed by "sir" ("Pip, sir.") answers a question; it names no one
        addressed.  Nor does one opening the quote with a question mark
        that the quote before mentioned: it echoes the name ("… meet Tom
        Eliot." / "Tom Eliot? Who is he?").  A title held by one character ("uncle" for Uncle John)
        addresses that character.  After "my" in running speech ("to visit
        my sister,") a name or title is possessed, not addressed.  With no
        name, "mother" or "papa" addresses the one parent of that sex in
        sight (see :meth:`_parent_in_sight`).
        """
        named = self._named_vocative(quote_text)
        if named is None and _mentions_parent(quote_text):
            return self._parent_vocative(quote_text)
        return named

    def _parent_vocative(self, quote_text: str) -> str | None:
        toks = _tokens(quote_text)
        for i, tok in enumerate(toks):
            gender = _PARENT_VOCATIVES.get(tok.low)
            before = toks[i - 1].low if i else ""
            after = toks[i + 1].text if i + 1 < len(toks) else ""
            if gender and before in ("", *_VOCATIVE_BEFORE) and after in ("", *",.?!;—–"):
                in_sight = list(self.recent)[-15:][::-1]
                role = "mother" if gender == "f" else "father"
                return self.described.get(role) or self._parent_in_sight(role, gender, in_sight)
        return None

    def _named_vocative(self, quote_text: str) -> str | None:
        titled = self.title_re is not None and self.title_re.search(quote_text) is not None
        if not titled and not self.cast.mentions_a_name(quote_text):
            return None
        toks = _tokens(quote_text)
        found = self.cast.find_names(toks)
        if titled:
            found = sorted([*found, *(
                (i, i + 1, self.single_titles[tok.low]) for i, tok in enumerate(toks)
                if tok.low in self.single_titles and not (i + 1 < len(toks) and toks[i + 1].capitalised))])
        for i, j, canon in found:
            before = toks[i - 1].low if i > 0 else ""
            after = toks[j].text if j < len(toks) else ""
            if after.lower() in _ENDEARMENTS and j + 1 < len(toks):  # "Jock dear, …"
                after = toks[j + 1].text
            if before and before not in _VOCATIVE_BEFORE or after and after not in ",.?!;—–":
                continue
            if before == "my" and i > 1 and toks[i - 2].low not in _VOCATIVE_BEFORE:
                continue  # "I am going to visit my sister,": a possessive, not an address
            if not before and (after == "." or j + 1 < len(toks) and toks[j + 1].low in _POLITE):
                continue
            if not before and after == "?" and canon in self._names_in(self.quote_heard):
                continue  # "… Dorothy's letters." / "Dorothy? Who is she?": an echo, not an address
            return canon
        return None

    def _names_in(self, quote_text: str) -> set[str]:
        """The cast's names a quote mentions."""
        if not self.cast.mentions_a_name(quote_text):
            return set()
        return {canon for _, _, canon in self.cast.find_names(_tokens(quote_text))}

    def turn_taking(self, *avoid: str | None) -> _Guess | None:
        """Speaker of an unattributed quote from the conversation so far.

        The last quote's addressee answers, else the previous speaker other
        than the last one, else the latest other person mentioned (a name
        of unknown gender only once seen speaking: it is as often a place).
        ``avoid`` are the ones this quote addresses, who cannot be its speaker.
        With no one else in sight, the last speaker simply goes on (someone
        talking to a silent or unnamed listener).  So does one whose last
        words were said to themself ("“Is she mad?” he muttered to himself.
        / “Must she always thwart me?”"): no one heard them to answer.
        """
        last = self.speakers[-1] if self.speakers else None
        if self.aside and last and last not in avoid:
            return _Guess(last, "turn-taking", 0.5)
        candidates = [self.last_addressee, *reversed(self.speakers[-self.REMEMBERED:-1])]
        for name in candidates:
            if name and name != last and name not in avoid:
                return _Guess(name, "turn-taking", 0.55)
        for name in reversed(self.recent):
            if name != last and name not in avoid and name in self.known and (
                    self.cast.gender(name) or name in self.named_speakers or name not in self.cast_people):
                return _Guess(name, "context", 0.35)
        if last and last not in avoid:
            return _Guess(last, "turn-taking", 0.4)
        return None

    # -- a paragraph

    def paragraph(self, text: str, regions: list[_Region],
                  scene_break: bool) -> list[Quote]:
        """Attribute the quotes starting in this paragraph.

        ``regions`` are the quoted stretches of the paragraph in order, with
        their :class:`QuoteSpan` and whether they continue an earlier paragraph's quote.
        """
        heard, self.last_paragraph_quotes = self.last_paragraph_quotes, []
        self.paragraphs_read += 1
        self.paragraph_starts.append(self.total_mentions)
        if scene_break:
            self.speakers.clear()
            self.last_addressee = None
            heard = []
        if not regions:
            self.gap += 1
            if self.gap > self.CONVERSATION_GAP:
                self.speakers.clear()
                self.last_addressee = None
            self._voice_heard(self.chunk(text), heard)
            return []
        self.gap = 0
        bounds = [0, *(x for s, e, _, _ in regions for x in (s, e)), len(text)]
        chunks = [self.chunk(text[bounds[2 * k]:bounds[2 * k + 1]], after_quote=k > 0)
                  for k in range(len(regions) + 1)]
        if regions[0][0] > 0:
            self._voice_heard(chunks[0], heard)
        # Quotes back to back with no narration between are two turns ("A" "B").
        starts = [0] + [k for k in range(1, len(regions)) if not chunks[k].tokens]
        quotes = []
        for first, stop in zip(starts, [*starts[1:], len(regions)]):
            quotes.extend(self._turn(text, regions[first:stop], chunks[first:stop + 1]))
        self.last_paragraph_quotes = quotes if not text[regions[-1][1]:].strip() else []
        return quotes

    def _voice_heard(self, ch: _Chunk, heard: Sequence[Quote]) -> None:
        """Give the last quote just heard to the one whose voice the narration opens with.

        ("“I beg your pardon.” / A man's voice beside her made her turn.",
        "“And I, too.” / There was scorn in the voice of Tom as he came in.")
        Narration opening a paragraph right after a quote with someone's
        voice tells who said it, when no say-verb did.  ``heard`` are the
        quotes of the paragraph before, when it ended with one.
        """
        if not heard or heard[-1].method in ("explicit", "pronoun"):
            return
        toks = ch.tokens
        first_end = next((k for k, tok in enumerate(toks) if tok.kind == "end"), len(toks))
        owner = None
        for k in range(1, first_end):
            if toks[k].low != "voice":
                continue
            owner = next((ch.refs[i] for i, j in ch.names.items() if j == k and i in ch.refs
                          and _possessed(toks[k - 1].low) != toks[k - 1].low), None)  # "Tom's voice"
            if owner is None and k + 2 < first_end and toks[k + 1].low == "of" and k + 2 in ch.names:
                owner = ch.refs.get(k + 2)  # "the voice of Tom"
            break
        last = heard[-1]
        if owner is None or owner in (last.speaker, last.addressee) or owner == self.cast.narrator:
            return
        for quote in heard:
            if quote.speaker == last.speaker and quote.method not in ("explicit", "pronoun"):
                quote.speaker, quote.method, quote.confidence = owner, "context", 0.6
        if self.speakers:
            self.speakers[-1] = owner

    def _turn(self, text: str, regions: Sequence[_Region], chunks: Sequence[_Chunk]) -> list[Quote]:
        """Attribute one speaker's turn: quotes with the narration around and between them.

        A quote that goes on the same speaker's sentence after the say-verb
        ("“I must go, Tom,” he said, “and so must you.”") is said to the one
        its first part addressed: that person answers next.
        """
        clauses = [self.after_clause(chunks[0])]
        clauses += [self.after_clause(ch, region[2], opens_paragraph=k == 0 and not text[:region[0]].strip())
                    for k, (ch, region) in enumerate(zip(chunks[1:], regions))]
        self.quote_before = None
        guesses: list[_Guess | None] = []
        unresolved = False  # some guess is a pronoun that found no one, or "the reply"
        handed_on: _Guess | None = None
        for k, (start, end, _, _) in enumerate(regions):
            after = clauses[k + 1]
            if after is not None and (k + 1 < len(regions) or k and guesses[k - 1] is not None) \
                    and _ends_sentence(text, end) and self._verb_at(chunks[k + 1].tokens, 0) is None:
                # “I know.” Tom sighed. “Go on.”: a sentence of its own after a
                # full stop is a beat leading into the next quote; after the
                # last, it does not take the turn from its speaker ("“A,” I
                # said. “B.” He laughed.")
                after = None
            before = None
            # a say-verb may run straight into the words ("All the ladies said 'Poor thing!'")
            if _char_before(text, start) in ",:—–" or chunks[k].tokens and chunks[k].tokens[-1].speech_verb:
                # "“A,” said X, “B”": X's clause introduces B too, unless a
                # later sentence has its own ("… said Beth. … as Jo said, “B”")
                said = clauses[k] if k > 0 else None
                if said is None or chunks[k].ends[1] >= 0:
                    before = self.say_clauses(chunks[k], last_sentence_only=True) or said
                else:
                    before = said
                if before is None and _char_before(text, start) == ":":
                    before = self._introducer(chunks[k])
            # "…," said X: the clause after a comma-ended quote is its own;
            # otherwise a clause introducing the quote ("X said, …") wins.
            if before is None and handed_on is not None:
                before = handed_on
            guess = after if after is not None and (_inner(text[start:end]).endswith(",") or before is None) \
                else before or after
            # "“A,” said Jo, “B?” Meg laughed. “C.”": a clause naming someone
            # else after a quote its own clause attributes introduces the next
            handed_on = after if after is not None and guess is before and after.speaker != guess.speaker \
                else None
            if guess is not None and guess.speaker in self.unresolved:
                unresolved = True
                if guess.speaker == _REPLIER:
                    guess = self._replier(guesses[-1].speaker if guesses and guesses[-1] else None, chunks[0])
            guesses.append(guess)
        if unresolved and len(guesses) > 1:
            self._name_unresolved_pronouns(guesses)
        context = None  # built only when some quote of the turn needs it
        if any(g is None and not r[3] for g, r in zip(guesses, regions)):

            context = _TurnContext(guesses, lambda k: self.say_clauses(chunks[k], last_sentence_only=False),
                                   lambda: self.beat_subjects(chunks),
                                   lambda k: self.sentence_subject(chunks[k], text, regions[k - 1][1] if k else 0))
        quotes = []
        for k, (start, _, span, continued) in enumerate(regions):
            if continued:
                self._attribute_continuation(span, guesses[k])
                continue
            addressee = self.vocative(span.text)
            self.quote_heard = span.text
            if addressee and guesses[k] is not None and self._first_heard(addressee):
                self._name_the_one_addressed(
                    self.sentence_subject(chunks[k], text, regions[k - 1][1] if k else 0)
                    or self._next_subject(chunks[k + 1]), addressee, guesses[k].speaker)
            guess = guesses[k] or (addressee and quotes and self._answer(quotes, addressee, span.text)) \
                or k >= 2 and self._third_voice(guesses[k - 2:k], [r[2].text for r in regions[k - 2:k]], addressee) \
                or (k and self._answered_at_once(guesses[k - 1], chunks[k], regions[k - 1][2].text, span.text)) \
                or (context and context.speaker(k, addressee)) or self.turn_taking(addressee)
            if guess is not None and guess.speaker == addressee and guesses[k] is None:
                guess = self.turn_taking(addressee)
            elif guess is not None and guesses[k] is None and addressee != guess.speaker \
                    and _mentions_parent(span.text) and self._parent_vocative(span.text) == guess.speaker:
                # "Hush, Ned! Isn't it dreadful, mamma?": the mother
                # called on after someone else is not the one speaking either
                guess = self.turn_taking(addressee, guess.speaker)
            elif guess is not None and guess.speaker == addressee and guess.method == "pronoun":
                # '"No, mother," she said': "she" is not the mother addressed
                other = self.resolve_pronoun(self.gender(addressee), avoid=addressee)
                guess = _Guess(other, "pronoun", guess.confidence - 0.1) if other else guess
            quote = Quote(chapter=0, paragraph=span.paragraph, start=span.start, end=span.end,
                          text=span.text, addressee=addressee)
            if guess is not None and guess.speaker != _SOMEONE:
                quote.speaker, quote.method, quote.confidence = guess.speaker, guess.method, guess.confidence
                quote.addressee = addressee or guess.addressee
                if quote.addressee is None and quotes and quotes[-1].speaker == quote.speaker \
                        and _char_before(text, start) in ",—–":
                    # "“I must go, Tom,” he said, “and so must you.”": one sentence, still said to Tom
                    quote.addressee = quotes[-1].addressee
            quotes.append(quote)
            self.made[id(span)] = quote
        if quotes:
            spoken = [q.speaker for q in quotes if q.speaker]
            self.named_speakers.update(q.speaker for q in quotes if q.method == "explicit")
            for name in spoken[-self.RECENT:]:
                self._mention(name)
            # "“A,” said the nurse. … the doctor stopped. “B?”": both spoke, and
            # the next unattributed answer is the nurse's, not someone before her.
            # A paragraph closed by a tagged quote ("“Impossible!” cried Ann.
            # “Nonsense!” said Tom.") is more often a burst of interjections
            # around the one holding the floor: only its last speaker counts.
            for name in spoken if quotes[-1].method != "explicit" else spoken[-1:]:
                if not self.speakers or self.speakers[-1] != name:
                    self.speakers = [*self.speakers[-self.REMEMBERED:], name]
            self.last_addressee = quotes[-1].addressee
            self.aside = self._said_to_oneself(chunks[len(regions)])
        return quotes

    def _first_heard(self, name: str) -> bool:
        """Whether the cast's ``name`` is heard for the first time: never narrated, named speaking or mentioned."""
        return name in self.cast_people and name not in self.narrated and name not in self.named_speakers \
            and name not in self.recent

    def _name_the_one_addressed(self, subject: str | None, name: str, speaker: str) -> None:
        """A name first heard in address names the described person the narration turns to.

        ("The little boy was kicking the gravel about. “Tommy,” said his
        sister, “stop that!”": the boy is Tommy.)  A narrator brings in a
        child or a stranger by description and lets the story name them
        later, most often when someone calls them; the one called
        (``subject``) is the subject of the sentence just before the call,
        or else of the sentence after the call's say-clause ("“Morning,
        Nell!” he said. The nurse knelt and hugged him.": see
        :meth:`_next_subject`), when the quote's speaker is known to be
        someone else.  Only a name never met before (see
        :meth:`_first_heard`, checked by the caller) takes over a
        described person, and not one of the other sex; their earlier
        quotes and their description go to the name.
        """
        if subject is None or subject == speaker or subject in self.cast_people or subject == self.cast.narrator \
                or subject not in self.described.values() \
                or {self.gender(name), self.gender(subject) or self.pronoun_gender.get(subject, "")} \
                == {"m", "f"}:
            return
        self.renamed[subject] = name
        for key, described in self.described.items():
            if described == subject:
                self.described[key] = name
        self.speakers = [name if s == subject else s for s in self.speakers]

    @staticmethod
    def _next_subject(ch: _Chunk) -> str | None:
        """The person opening the second sentence of narration after a quote, the first being its say-clause.

        ("“Morning, Nell!” he said. The nurse knelt …": the nurse.)  None
        when the narration opens no say-clause, or the second sentence
        opens on no one the narration named or described.
        """
        toks = ch.tokens
        if not toks or not toks[0].text.islower():
            return None
        end = next((k for k, tok in enumerate(toks) if tok.kind == "end"), len(toks))
        return ch.refs.get(end + 1) if end + 1 in ch.names else None

    def _said_to_oneself(self, ch: _Chunk) -> bool:
        """Whether narration after a quote opens with it said to oneself ("he muttered to himself")."""
        toks = ch.tokens
        for k, tok in enumerate(toks):
            if tok.kind == "end":
                return False
            if tok.speech_verb and (after := self._verb_at(toks, k)) is not None \
                    and after + 1 < len(toks) and toks[after].low == "to" \
                    and toks[after + 1].low in ("himself", "herself", "myself"):
                return True
        return False

    def _third_voice(self, before: Sequence[_Guess | None], said: Sequence[str],
                     addressee: str | None) -> _Guess | None:
        """Who answers two people that each just cried out in the paragraph.

        ("“Impossible!” cried her aunt. “Nonsense!” said Tom. “It is
        true, though.”": two named exclamations side by side react to
        someone; the quote after them, with no say-verb, is that someone's
        answer: the latest speaker of the conversation who is neither.)
        ``before`` are the guesses and ``said`` the texts of the two quotes before.
        """
        named = [g.speaker for g in before if g is not None and g.method == "explicit"]
        if len(named) < 2 or named[0] == named[1] or not all(text.rstrip().endswith(("!", "?")) for text in said):
            return None
        name = next((s for s in reversed(self.speakers) if s not in (*named, addressee)), None)
        return _Guess(name, "turn-taking", 0.5) if name else None

    def _answered_at_once(self, before: _Guess | None, between: _Chunk, asked: str, quote_text: str) -> _Guess | None:
        """The other party's answer, given in the paragraph of what it answers.

        ("“The letter came from abroad,” I said. “Precisely. And …”",
        "“You don't say so!” I cried. “Yes I do, …”".)  A quote with no
        say-verb opening with a word of answer ("yes", "precisely", "very
        well"), or with a question drawing on the words before ("Why go,
        then?"), right after an attributed quote and its say-clause, one
        sentence, is said by the latest other speaker: no one answers their
        own words.  A
        "no" answers only a question or an outcry ``asked``: after a
        statement it is the speaker taking their own words back ("“I shall
        go,” he said. “No, I won't.”").  More narration between (“He
        sprang up.”) leaves the quote to whoever acts there.
        """
        toks = between.tokens
        if before is None or between.ends[0] >= 0 or not toks or between.ends[1] != len(toks) - 1:
            return None
        if _ANSWER_PHRASE_RE.match(quote_text) or _FOLLOW_UP_RE.match(quote_text):
            return self._replier(before.speaker)
        first = _ANSWER_RE.match(quote_text)
        if first is None:
            return None
        word, after = first.group(1).lower(), first.group(2)
        if word not in _ANSWER_WORDS or not after.strip() and word != "yes" \
                or word in _NO_WORDS and not asked.rstrip().endswith(("?", "!")):
            return None  # "No one knows", but "Yes I do"
        return self._replier(before.speaker)

    def _replier(self, asker: str | None, before: _Chunk | None = None) -> _Guess | None:
        """Who answers ``asker`` (else the last speaker): the latest other speaker of the conversation.

        A person the narration opening the turn names comes first ("I was
        dragged out by my cousin. “What do you want?” I asked. “An
        apology,” was the answer."): the narration has just turned to the
        one the asker faces, whoever spoke last.
        """
        asker = asker or (self.speakers[-1] if self.speakers else None)
        named = [before.refs[i] for i in sorted(before.names) if i in before.refs] if before else []
        for name in reversed(named):
            if name not in (asker, self.cast.narrator):
                return _Guess(name, "turn-taking", 0.6)
        for name in reversed(self.speakers):
            if name != asker:
                return _Guess(name, "turn-taking", 0.6)
        return None

    def _name_unresolved_pronouns(self, guesses: list[_Guess | None]) -> None:
        """A pronoun of the turn that found no one yet is the turn's named speaker.

        ("“…,” said his lady. “But it is,” returned she": "she" was read
        before "his lady" was known to speak.)
        """
        named = next((g.speaker for g in guesses if g is not None and g.method == "explicit"), None)
        if named is None:
            return
        unknown = {_SOMEONE, self.described.get(_UNNAMED.get(self.gender(named), ""))}  # of her gender
        for k, g in enumerate(guesses):
            if g is not None and g.method == "pronoun" and g.speaker in unknown:
                guesses[k] = _Guess(named, "pronoun", g.confidence, g.addressee)

    def _answer(self, quotes: Sequence[Quote], addressee: str | None, text: str) -> _Guess | None:
        """The speaker of a quote answering the one before it in the same turn.

        ("“You believe it, Florence?” he said. “Yes, uncle. …”": a quote
        addressed to the last speaker is said by the one that speaker
        addressed.)  So is a quote calling someone else by name after its
        first words ("“Giles, you forgot the books,” said the newcomer.
        “Too late now, Willow.”": Giles answers, and the newcomer is
        Willow), when the quote before said more than a name: one speaker
        who goes on to someone new ("Giles! Giles! … Willow, he can't
        hear.") or gives their own name ("Mr. Giles?" … "Spike, your new
        lodger.") opens with the name or had only called out.
        """
        prev = quotes[-1] if quotes else None
        if not addressee or prev is None or prev.addressee in (None, addressee):
            return None
        if prev.speaker == addressee or prev.speaker != prev.addressee \
                and not self._opens_with_name(text) and not self._only_names(prev.text):
            return _Guess(prev.addressee, "turn-taking", 0.5)
        return None

    def _opens_with_name(self, text: str) -> bool:
        """Whether a quote's first word is (part of) a known name ("Jim, do …")."""
        found = self.cast.find_names(_tokens(text))
        return bool(found) and found[0][0] == 0

    def _only_names(self, text: str) -> bool:
        """Whether a quote holds nothing but names ("Edith! Edith!")."""
        toks = [t for t in _tokens(text) if t.text[0].isalpha()]
        named = sum(j - i for i, j, _ in self.cast.find_names(toks))
        return named >= len(toks)

    def _attribute_continuation(self, span: QuoteSpan, guess: _Guess | None) -> None:
        """A say-verb beside a later paragraph of a long quote names its speaker too."""
        quote = self.made.get(id(span))
        if quote is not None and guess is not None and guess.speaker \
                and quote.method not in ("explicit", "pronoun"):
            quote.speaker, quote.method, quote.confidence = guess.speaker, guess.method, guess.confidence


class _TurnContext:
    """What the rest of a turn says about the speaker of its unattributed quotes.

    Built once per turn so that a paragraph of many quotes stays linear.
    The say-clauses of the narration (``say_clause(k)`` for the narration
    before quote ``k``) are read only as far as some quote needs them, and
    the acting characters only if some quote needs them (few do):
    ``find_actors`` reads the narration without changing any state, so
    calling it later gives the same answer.
    """

    def __init__(self, guesses: Sequence[_Guess | None], say_clause: Callable[[int], _Guess | None],
                 find_actors: Callable[[], Sequence[str]],
                 subject_before: Callable[[int], str | None]) -> None:
        self.before = _nearest(guesses)  # nearest attributed quote at or before k
        self.after = _nearest(guesses[::-1])[::-1]  # … at or after k
        self._say_clause = say_clause
        self._said: list[_Guess | None] = []  # nearest "X says" clause in the narration up to quote k
        self._find_actors = find_actors
        self._subject_before = subject_before
        self._actors: list[str] | None = None

    def said(self, k: int) -> _Guess | None:
        """The nearest "X says" clause in the narration up to quote ``k``."""
        while len(self._said) <= k:
            clause = self._say_clause(len(self._said))
            self._said.append(clause if clause is not None or not self._said else self._said[-1])
        return self._said[k]

    @property
    def actors(self) -> list[str]:
        """The first three characters acting in the turn's narration, likeliest speaker first."""
        if self._actors is None:
            self._actors = list(dict.fromkeys(self._find_actors()))[:3]
        return self._actors

    def speaker(self, k: int, addressee: str | None) -> _Guess | None:
        """Nearest attributed quote of the turn, else a say-clause, else the acting character.

        A sentence of narration just before this quote names its speaker by
        its subject, if that is a known character ("Tom chuckled. “I did!”"):
        between quotes that comes first, before the turn's first quote only
        after any say-clause ("… he answers for her. “No.”").
        """
        if k and (beat := self._beat(k, addressee)):
            return beat
        for other in (self.before[k], self.after[k]):
            if other is not None and other.speaker != addressee:
                return _Guess(other.speaker, other.method, other.confidence - 0.1, other.addressee)
        clause = self.said(k)
        if clause is not None and clause.speaker != addressee:
            return clause
        if not k and (beat := self._beat(k, addressee)):
            return beat
        for name in self.actors:
            if name != addressee:
                return _Guess(name, "context", 0.65)
        return None

    def _beat(self, k: int, addressee: str | None) -> _Guess | None:
        """The subject of the sentence just before quote ``k``, unless addressed by it."""
        subject = self._subject_before(k)
        return _Guess(subject, "context", 0.6) if subject is not None and subject != addressee else None


def _opens_clause_after_comma(ch: _Chunk, i: int, end: int) -> bool:
    """Whether a person named or described at ``i``, after a comma, is the subject of a new clause.

    ("The door opened, a man came in", "Turning to Meg, Jo laughed".)  The
    person's words are followed by a lower-case word, their verb; a
    possessive ("…, Jo's brother") or a mark (", an old man:") makes the
    phrase part of the clause before.
    """
    j = ch.names.get(i)
    if j is None or j >= end:
        return False
    return _possessed(ch.tokens[j - 1].text) == ch.tokens[j - 1].text \
        and ch.tokens[j].text.isalpha() and ch.tokens[j].text.islower()


def _nearest(items: Sequence[_Guess | None]) -> list[_Guess | None]:
    """For each position, the last non-None item at or before it."""
    out: list[_Guess | None] = []
    for item in items:
        out.append(item if item is not None else (out[-1] if out else None))
    return out


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the quote ending at ``end`` (after its closing mark) ends with a full stop."""
    return text[end - 2:end - 1] == "."


def _char_before(text: str, i: int) -> str:
    """The last non-space character before offset ``i`` ("" if none).

    Two hyphens standing for a dash ("and said --") count as the dash "—":
    typed text sets them where print has an em dash introducing speech.
    """
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 1 and text[i - 2:i] == "--":
        return "—"
    return text[i - 1] if i > 0 else ""


# A paragraph opening with a chapter heading ("CHAPTER II.", "Chapter 2 Anna …", "BOOK ONE"):
# a numeral ending the heading, before a stop, a capital, a quote or the end
_CHAPTER_HEADING = re.compile(
    r"\s*(?i:chapter|book|part|volume)\s+(?i:[ivxlc]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?=[.:]|\s+[A-Z“\"‘']|\s*$)")


def attribute_paragraphs(texts: Sequence[str], cast: Cast,
                         scene_breaks: Sequence[bool] | None = None) -> list[Quote]:
    """Find and attribute the quotes of one chapter's paragraph texts (chapter index 0).

    A paragraph opening with a chapter heading ("CHAPTER II. …") starts a
    chapter of its own, as if the text were two: a conversation does not
    run on across it, and the unnamed people of one chapter ("the girl")
    are not the ones the next one describes the same way, so they are not
    renamed by what the next chapter's speakers call someone.
    """
    spans = find_quotations(texts)
    regions: list[list[_Region]] = [[] for _ in texts]
    for span in spans:
        regions[span.paragraph].append((span.start, span.end, span, False))
        for p, s, e in span.continuations:
            regions[p].append((s, e, span, True))
    quotes = []
    starts = [0, *(p for p, text in enumerate(texts) if p and _CHAPTER_HEADING.match(text))]
    attributor = _Attributor(cast)
    for start, stop in zip(starts, [*starts[1:], len(texts)]):
        if start:
            attributor.new_chapter()
        section: list[Quote] = []
        for p in range(start, stop):
            section.extend(attributor.paragraph(texts[p], regions[p], bool(scene_breaks and scene_breaks[p])))
        _settle(section, texts, cast, attributor)
        quotes.extend(section)
    return quotes


def _settle(quotes: list[Quote], texts: Sequence[str], cast: Cast, attributor: _Attributor) -> None:
    """Run the post-passes over one chapter's attributed quotes, which settle what turn by turn could not."""
    _rename(quotes, attributor.renamed)
    _fill_from_next_addressee(quotes)
    _fill_from_neighbours(quotes)
    _realign_alternation(quotes, texts)
    _name_the_unnamed(quotes, cast, attributor.pronoun_gender, attributor.narrated, attributor.strangers)
    _merge_address_names(quotes, cast, attributor.narrated)
    _no_one_addresses_themself(quotes)
    _no_one_answers_themself(quotes, texts)
    _voice_revealed(quotes, cast)
    _name_given_on_asking(quotes, cast)


# A question asking someone's name, closing a quote ("What name?", "Who are you?")
_NAME_QUESTION_RE = re.compile(r"(?i)\b(?:what name|what(?:['’]s| is) your name|who are you)\?\s*$")
# The name given in answer ("Hale, -- office upstairs.", "My name is Hale.")
_NAME_GIVEN_RE = re.compile(r"\W*(?:(?:my name is|my name['’]s|I am|I['’]m)\s+)?((?:[A-Z][\w'’.]*\s+)*[A-Z][\w'’]*)\s*(?:[,.;!]|--|[—–]|$)")


def _name_given_on_asking(quotes: list[Quote], cast: Cast) -> None:
    """An unnamed speaker asked their name ("What name?") is the known character whose name they answer.

    ("“What name?”" / "“Hale, -- second floor.”" / "… said Mr. Hale"):
    a story lets a stranger ("the gentleman") give their name when asked,
    and calls them by it from then on.  When a quote closes with a question
    for a name and the next quote, in the next paragraph, is by someone
    else, unnamed, and opens with a name (alone or after "My name is")
    that is, or is the last word of, exactly one known character's name,
    that unnamed speaker is that character.
    """
    named = set(cast.names.values())
    renames: dict[str, str] = {}
    for asked, reply in zip(quotes, quotes[1:]):
        if not reply.speaker or reply.speaker in named or reply.speaker in renames \
                or reply.paragraph != asked.paragraph + 1 or reply.speaker == asked.speaker \
                or not _NAME_QUESTION_RE.search(asked.text) or not (given := _NAME_GIVEN_RE.match(reply.text)):
            continue
        word = given.group(1)
        holders = {canon for surface, canon in cast.names.items() if surface == word or surface.split()[-1] == word}
        if len(holders) == 1 and {cast.gender(reply.speaker), cast.gender(next(iter(holders)))} != {"m", "f"}:
            renames[reply.speaker] = holders.pop()
    _rename(quotes, renames)


def _merge_address_names(quotes: list[Quote], cast: Cast, narrated: dict[str, int]) -> None:
    """A name heard only in address ("Kinch") is the one person its speakers talk with.

    When a name is never used in narration nor named speaking, and the
    quotes addressing it have one other speaker around them (three quotes
    either side, besides their own speaker) at least twice, and more than
    twice as often as anyone else or no one clear, the name is that
    person's nickname: Buck Mulligan calls Stephen "Kinch".
    """
    explicit = {q.speaker for q in quotes if q.method == "explicit"}
    partners: dict[str, Counter[str]] = {}
    for k, quote in enumerate(quotes):
        called = quote.addressee
        if not called or called in explicit or called in narrated or called in (quote.speaker, cast.narrator):
            continue
        around = {other.speaker for other in quotes[max(0, k - 3):k + 4]} - {quote.speaker, called, None}
        partners.setdefault(called, Counter())[around.pop() if len(around) == 1 else ""] += 1
    renames = {}
    for called, tally in partners.items():
        (who, n), *rest = tally.most_common(2)
        if who and n >= 2 and n > 2 * sum(c for _, c in rest) and {cast.gender(called), cast.gender(who)} != {"m", "f"}:
            renames[called] = who
    _rename(quotes, renames)


def _realign_alternation(quotes: list[Quote], texts: Sequence[str]) -> None:
    """Re-phase a two-person exchange guessed by turn-taking that runs into a named speaker.

    Paragraphs in a row guessed by turn-taking alternate between two people
    from the last attribution before them.  When the paragraph right after
    them opens with a quote attributed to the one the last guessed
    paragraph was given to, one person would speak two paragraphs running:
    the alternation lost a beat (someone went on after a silence, a turn
    was misread), so the whole exchange is taken from that later
    attribution instead and its two speakers swap.  A paragraph opening
    with narration ("He threw over the letter. “Read it,” said he.") may
    well be the same speaker going on, and re-phases nothing.
    """
    turns: list[list[Quote]] = []
    for quote in quotes:
        if turns and turns[-1][0].paragraph == quote.paragraph:
            turns[-1].append(quote)
        else:
            turns.append([quote])
    run: list[list[Quote]] = []  # consecutive paragraphs guessed by turn-taking alone
    for turn in turns:
        if run and turn[0].paragraph != run[-1][0].paragraph + 1:
            run = []
        if all(q.method == "turn-taking" for q in turn) and len({q.speaker for q in turn}) == 1:
            run.append(turn)
            continue
        first = turn[0]
        opens = not texts[first.paragraph][:first.start].strip()
        named = first.speaker if opens and first.method in ("explicit", "pronoun") else None
        pair = {t[0].speaker for t in run}
        if named and len(run) >= 2 and run[-1][0].speaker == named and len(pair) == 2:
            other = next(name for name in pair if name != named)
            swap = {named: other, other: named}
            for late in run:
                for q in late:
                    q.speaker = swap[q.speaker]
        run = []


def _no_one_addresses_themself(quotes: list[Quote], look_back: int = 4) -> None:
    """A guessed speaker who is also the quote's addressee gives way to the other party.

    ("Seven!" I answered. "Just a trifle more, Watson." — once the narrator
    is known to be Watson, the second quote is the other man's.)  The other
    party is the latest earlier speaker other than them.  Explicit
    attributions are left alone.
    """
    for k, quote in enumerate(quotes):
        if quote.speaker is None or quote.speaker != quote.addressee or quote.method == "explicit":
            continue
        for other in reversed(quotes[max(0, k - look_back):k]):
            if other.speaker and other.speaker != quote.speaker:
                quote.speaker, quote.method = other.speaker, "turn-taking"
                quote.confidence = min(quote.confidence, 0.5)
                break


def _no_one_answers_themself(quotes: list[Quote], texts: Sequence[str], look_back: int = 4) -> None:
    """A question closing a paragraph, answered at once by the one given it, was the other party's.

    ("“Yon way's nicest,” she said. “Why, what's there?”" / "“The
    swamp,” she said.")  A question with no attribution of its own that
    ends a paragraph goes to the speaker of the quote before it; when the
    next paragraph opens with a quote attributed to that same speaker, they
    would be answering their own question, so the question is the other
    party's: the latest earlier speaker other than them.  Narration may
    open the answering paragraph ("She leaned closer. “Dreams!” she
    whispered."): the answer is still theirs.  Likewise a question given
    to someone only by what they do before it ("The girl held out her
    hand. “Are you sure?”"), when the next paragraph gives its answer to
    them the same way ("The girl smiled. “Quite sure.”"): the first
    gesture answered the other party, who went on with the question.
    """
    for k in range(1, len(quotes) - 1):
        before, quote, answer = quotes[k - 1], quotes[k], quotes[k + 1]
        text = texts[quote.paragraph]
        went_on = before.paragraph == quote.paragraph and before.speaker == quote.speaker \
            and answer.method in ("explicit", "pronoun")
        by_gestures = before.paragraph < quote.paragraph and quote.method == answer.method == "context"
        if not quote.text.rstrip().endswith("?") or quote.speaker is None or not (went_on or by_gestures) \
                or answer.paragraph != quote.paragraph + 1 or answer.speaker != quote.speaker \
                or text[quote.end:].strip() or _char_before(text, quote.start) in ",:—–":
            continue
        for other in reversed(quotes[max(0, k - 1 - look_back):k]):
            if other.speaker and other.speaker != quote.speaker:
                quote.speaker, quote.method = other.speaker, "turn-taking"
                quote.confidence = min(quote.confidence, 0.5)
                break


def _voice_revealed(quotes: list[Quote], cast: Cast) -> None:
    """A voice heard in one paragraph only is the named character the next paragraph shows speaking.

    ("Then a voice spoke. “Hi, dad!”" / "Robin was lounging in a chair
    by the stove. “Come on in, dad.”")  A story lets a voice speak before
    saying whose it is, and the narration that follows shows its owner:
    when the very next quote, in the next paragraph, is given to a named
    character by the narration around it (no say-verb of its own), the
    voice was that character.  A voice heard again later, or answered by
    someone named speaking ("said Jim"), stays someone of its own.
    """
    named = set(cast.names.values())
    paragraphs: dict[str, set[int]] = {}
    last: dict[str, int] = {}  # speaker → index of their last quote
    for k, quote in enumerate(quotes):
        if quote.speaker:
            paragraphs.setdefault(quote.speaker, set()).add(quote.paragraph)
            last[quote.speaker] = k
    renames = {}
    for voice, k in last.items():
        if voice.startswith("the ") and voice.split()[-1] in _SPEECH_NOUNS and len(paragraphs[voice]) == 1 \
                and k + 1 < len(quotes):
            owner = quotes[k + 1]
            if owner.paragraph == quotes[k].paragraph + 1 and owner.method == "context" and owner.speaker in named:
                renames[voice] = owner.speaker
    _rename(quotes, renames)


def _name_the_unnamed(quotes: list[Quote], cast: Cast, pronoun_gender: dict[str, str],
                      narrated: dict[str, int], strangers: set[str]) -> None:
    """Give unnamed speakers (the narrator, "the old man") the name others call them.

    When a quote next to one by an unnamed speaker addresses someone by
    name ("Good night, Watson."), that name is a vote for who the unnamed
    speaker is; a clear winner renames them.  A name of the other gender
    casts no vote ("the man" is never called Tuppence; "the doctor", of no
    sex by the word, has the one of the "he" or "she" once taken for them:
    ``pronoun_gender``): it is the one spoken to by someone else beside
    them, and must not outvote the name the unnamed speaker is really
    called by.  The narrator is not someone given their own "said Good"
    right beside the narrator's "I said".  A relative described through
    someone ("her mother") is not renamed (the one she talks to is mostly
    the one she is the mother of).  Nor is
    someone the narration brought in as new (``strangers``: "a thin
    gentleman", "another voice") given a name it used before their first quote
    (``narrated``: the paragraph each name was first narrated in): a
    narrator who has named a character calls them by that name, not "a
    gentleman", so the name called beside them is someone else's.
    """
    named = set(cast.names.values())
    first_quote: dict[str, int] = {}
    for quote in quotes:
        if quote.speaker:
            first_quote.setdefault(quote.speaker, quote.paragraph)
    votes: dict[str, Counter[str]] = {}
    not_the_narrator = {  # attributed in the third person right beside the narrator's lines
        quote.speaker for k, quote in enumerate(quotes)
        if quote.method == "explicit" and quote.speaker in named
        and any(other.speaker == cast.narrator for other in quotes[max(0, k - 2):k + 3])}
    for k, quote in enumerate(quotes):
        if not quote.addressee or quote.addressee not in named or quote.addressee == quote.speaker:
            continue
        for other in quotes[max(0, k - 1):k + 2]:
            if other.speaker and other.speaker != quote.speaker and other.speaker not in named \
                    and not other.speaker.startswith(("his ", "her ")) \
                    and {cast.gender(other.speaker) or pronoun_gender.get(other.speaker, ""),
                         cast.gender(quote.addressee)} != {"m", "f"} \
                    and not (other.speaker == cast.narrator and quote.addressee in not_the_narrator) \
                    and not (other.speaker in strangers
                             and narrated.get(quote.addressee, first_quote[other.speaker]) < first_quote[other.speaker]):
                votes.setdefault(other.speaker, Counter())[quote.addressee] += 1
    renames = {}
    for unnamed, tally in votes.items():
        (best, n), *rest = tally.most_common(2) + [("", 0)]
        if n >= 1 and n > 2 * rest[0][1]:
            renames[unnamed] = best
    _rename(quotes, renames)


def _rename(quotes: list[Quote], renames: dict[str, str]) -> None:
    """Give every quote's speaker and addressee the name ``renames`` maps them to."""
    if not renames:
        return
    for quote in quotes:
        quote.speaker = renames.get(quote.speaker, quote.speaker) if quote.speaker else None
        quote.addressee = renames.get(quote.addressee, quote.addressee) if quote.addressee else None


def _fill_from_next_addressee(quotes: list[Quote]) -> None:
    """An unattributed quote answered by one naming its addressee was said by that addressee.

    ("Uncle, you look ill." / "I'm not well, Florence." → Florence spoke first.)
    So was a quote given only to the person the narration was about
    (method "context") when that person answers it in the next
    paragraph, named as speaker, by naming someone: ("He hid behind
    the sofa, but a hand pulled it away. “Caught you!”" / "“Morning,
    Nell!” he said.") a new paragraph opening with a say-clause is a new
    turn, and the one he greets is the one who spoke to him.
    """
    for k in range(len(quotes) - 2, -1, -1):
        quote, reply = quotes[k], quotes[k + 1]
        if reply.paragraph <= quote.paragraph or not reply.addressee or reply.addressee == reply.speaker:
            continue
        if quote.speaker is None or quote.method == "context" and reply.speaker == quote.speaker \
                and reply.method in ("explicit", "pronoun") and reply.paragraph == quote.paragraph + 1:
            quote.speaker, quote.method, quote.confidence = reply.addressee, "turn-taking", 0.45


def _fill_from_neighbours(quotes: list[Quote]) -> None:
    """A quote still without a speaker is the one of the quote next to it, the one before first.

    Turn-taking finds no one only when no one else has spoken: the last
    speaker is going on ("Send her to me." after "Why did you come?"), and
    before anyone is known, a call that gets "No answer." is repeated by
    the one who speaks next ("TOM!" / "No answer. TOM!" / … "“Well,” said
    the old lady").  Only quotes in the same or the next paragraph count,
    and never one whose speaker the quote calls by name: "Jo, at last!"
    after a call of Jo's is the answer of someone else.
    """
    for k in range(1, len(quotes)):
        quote, before = quotes[k], quotes[k - 1]
        if quote.speaker is None and before.speaker and quote.paragraph - before.paragraph <= 1 \
                and before.speaker != quote.addressee:
            quote.speaker, quote.method, quote.confidence = before.speaker, "turn-taking", 0.3
    for k in range(len(quotes) - 2, -1, -1):
        quote, after = quotes[k], quotes[k + 1]
        if quote.speaker is None and after.speaker and after.paragraph - quote.paragraph <= 1 \
                and after.speaker != quote.addressee:
            quote.speaker, quote.method, quote.confidence = after.speaker, "turn-taking", 0.3


def attribute_quotes(reading: Reading, cast: Cast) -> None:
    """Fill ``reading.quotes`` with every quotation of the work and its speaker."""
    reading.quotes = []
    for number, chapter in enumerate(reading.chapters):
        texts = [p.text for p in chapter.paragraphs]
        breaks = [p.scene_break_before for p in chapter.paragraphs]
        for quote in attribute_paragraphs(texts, cast, breaks):
            quote.chapter = number
            reading.quotes.append(quote)
