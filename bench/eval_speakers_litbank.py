"""Evaluate quotation finding and speaker attribution on LitBank's quotation layer.

Run:  .venv/bin/python bench/eval_speakers_litbank.py [--split dev|test|all] [--verbose] [--gold-paragraphs] [--data DIR]

``--split``: the excerpt files sorted by name, *dev* = even positions
(0, 2, ...), *test* = odd positions, *all* (default) = both.  The rules
were first written looking at dev errors only, with test held out (dev
86.3, test 73.2: a rule fitted to the excerpts it was written from scores
far higher there); since then errors on both halves have been read, so
neither is held out any more and every figure here is in-sample.  A rule
is kept only when it raises *all* and lowers neither half, which guards
against a rule that fixes one book by breaking others, not against
fitting this corpus.

Data: ``shared/data/litbank_quotes/tsv`` (beside the repository; or
``FANARCHIVE_SHARED``): for each excerpt a ``.txt`` (tokenised, one sentence
a line) and a ``.ann`` (``QUOTE`` rows: id, start sentence, start token, end
sentence, end token (inclusive), text; ``ATTRIB`` rows: quote id, speaker id
such as ``Winnie_Verloc-3``).

What happens:

1. Each excerpt is detokenised into paragraphs.  LitBank keeps no paragraph
   breaks, so they are guessed the way novels set dialogue: after a
   closed quotation, a sentence opening a new quotation, or a capitalised
   narration sentence that is not an attribution ("Spike asks."), starts a
   new paragraph, and so does every sentence opening with a dialogue dash
   ("—", "--") outside an open quotation, or with a heading word
   ("CHAPTER I .", "PROLOGUE ...");
   a quotation after narration stays in its paragraph (an action beat)
   unless that narration closed a quotation and either the new quotation
   has its own attribution or the last one asked a question: then it is
   a reply ('"A," said Jo. "B," sighed Meg.', '"Why?" asked Jo.
   "Because."').  The new quotation's attribution follows where it closes
   in its sentence (a speaking verb with its particle counts: '"B," went
   on Meg.') or, when it closes on '?' or '!', opens the next sentence
   ('"B!"' / 'cried Meg.'), since a quotation ending in '.' ends its
   sentence.
   When the tokeniser put the question's attribution in a sentence of its
   own ('"Is that his name?"' / 'asked Lord Henry.' / '"Yes, it is."'),
   the question makes a reply only of a quotation opening with an answer
   word (yes, no, because …) or of a short statement, a sentence of up to
   six words asking nothing ('"Seven o'clock."'), since an asker often goes
   on at more length.
   A quotation whose attribution names someone other than the paragraph's
   last attribution did opens a paragraph too, whatever narration lies
   between ('"A," said Jo, and sat down. "B," said Meg.'): two different
   names (their last words), 'he' and 'she', or 'I' and anyone else.  A
   name and a pronoun, or a description ('the man'), may be one person and
   decide nothing.
   A straight mark opening a sentence opens a quotation and one ending it
   closes one, so a stray mark cannot invert every later quote of a
   single-quoted book; in a book quoted with double marks a lone
   apostrophe ("an' you") closes nothing.  Gold labels are not consulted.
2. :func:`find_quotations` + :func:`attribute_paragraphs` run with a cast
   from :meth:`Cast.from_text` (no canon data for novels).
3. Each gold quote is aligned to the predicted quote sharing most of its
   tokens; it counts as *found* when at least half its tokens are covered.

Scoring rules for speakers (gold ids lose their ``-N`` cluster suffix and
are split on ``_``; predicted names are split on non-letters; everything is
lower-cased):

* **lenient** (headline): correct when the predicted character's name, or
  one of its other surface forms in the cast used for prediction, shares a
  content word with the gold name (titles like Mr/Mrs/Miss/Dr and
  determiners are not content words): "Holmes" matches
  ``Mr__Sherlock_Holmes``, "the convict" matches ``convict``, and "John
  Linden" (alias "Uncle John") matches ``Uncle``.  LitBank names each
  gold entity by one of its mentions, so any of the predicted character's
  names may be the one chosen.  Note "Bennet" would match both
  ``Mr_Bennet`` and ``Mrs_Bennet``; the strict figure catches that.
* **strict**: correct when the predicted name's words, titles included and
  leading articles dropped, equal the gold name's words exactly
  ("Mrs. Bennet" = ``Mrs_Bennet``, but "Bennet" ≠ ``Mrs_Bennet``).
* In both, the predicted first-person speaker ``narrator`` matches gold ids
  whose words include ``I`` or ``narrator``.

* **B-cubed** (names ignored): groups the quotes by predicted speaker and by
  gold speaker within each excerpt and scores how well the groups agree
  (precision, recall, F1; averaged over gold quotes).  This is the
  clustering view used by BookNLP's reported figure; it does not care what
  a speaker is called, only that one person's quotes go together.

``--gold-paragraphs`` is a diagnostic, not a score: it also starts a
paragraph wherever the gold speaker changes, so the difference from the
normal run is what guessing paragraph breaks costs the reader.

Accuracy is reported over all gold quotes (a quote not found counts as
wrong) and over found quotes, and per attribution method.
"""

from __future__ import annotations

import argparse
import re
import sys
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import dropwhile, takewhile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanarchive.reading.dialogue import NARRATOR, PHRASAL_SAY, SAY_VERBS, Cast, attribute_paragraphs  # noqa: E402
from fanarchive.reading.model import Quote  # noqa: E402
from fanarchive.testing import shared_data  # noqa: E402

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "”", "’", "...", "n't", "'s", "'ll",
                    "'re", "'ve", "'d", "'m", "’s", "’ll", "’re", "’ve", "’d", "’m", "n’t"}
_NO_SPACE_AFTER = {"(", "[", "“", "‘"}
_CLOSERS = {"”", '"', "’", "'"}
_QUOTE_MARKS = _CLOSERS | {"“", "‘"}
_TITLES = {"mr", "mrs", "miss", "ms", "dr", "sir", "lady", "lord", "the", "a", "an", "st", "master",
           "mister", "madame", "madam", "mme", "mlle", "monsieur", "capt", "captain", "col"}
_ARTICLES = {"the", "a", "an"}
_HEADINGS = {"chapter", "prologue", "epilogue"}
_PRONOUNS = {"he", "she", "i"}
_SHORT_WORDS = 6  # a quotation of at most this many words answers a question ('"Another boy."')
_ANSWER_WORDS = {"yes", "no", "yeah", "nope", "aye", "nay", "because", "certainly", "perhaps", "maybe",
                 "not", "nothing", "oh", "ah", "well", "indeed", "never", "sure", "of"}


@dataclass
class Excerpt:
    """One detokenised LitBank excerpt and where each token landed."""

    paragraphs: list[str]
    where: dict[tuple[int, int], tuple[int, int, int]]  # (sentence, token) → (para, start, end)


def detokenise(sentences: list[list[str]], breaks: frozenset[tuple[int, int]] = frozenset()) -> Excerpt:
    """Rebuild paragraphs of plain text from tokenised sentences (see module doc).

    ``breaks``: (sentence, token) positions where a paragraph must start as
    well (the ``--gold-paragraphs`` diagnostic).
    """
    single_style = _single_style(sentences)
    straight = {'"', "'"} if single_style else {'"'}
    sentences, keys = _reattach_openers(sentences, straight)
    openers = {"“", '"', "—", "–"} | ({"‘", "'"} if single_style else set())
    closers = {"”", '"'} | ({"’", "'"} if single_style else set())  # an apostrophe closes nothing
    paragraphs: list[list[str]] = []
    where: dict[tuple[int, int], tuple[int, int, int]] = {}
    quote_open = False  # a quotation is open at this point of the text
    length, prev, prev_opened = 0, None, False
    # the previous sentence closed a quotation (after a question mark)
    closed_in_sentence = asked = carried = False
    speaker: str | None = None  # who the current paragraph's last attribution named
    for s, tokens in enumerate(sentences):
        if not tokens:
            continue
        # A quote opens a paragraph after a closed quotation ('"Yes." / "No."');
        # after narration it stays in the narrator's paragraph (an action beat).
        # Narration after a quotation opens a paragraph unless it attributes it.
        after_quote = bool(paragraphs) and paragraphs[-1][-1] in _CLOSERS and not quote_open
        if tokens[0] in ("—", "–", "--") and not quote_open or tokens[0].lower() in _HEADINGS:
            # dash dialogue has no closing mark (a dash inside an open quotation
            # is the speaker's own); a heading opens a chapter
            newpara = True
        elif tokens[0] in openers:
            # '"A," said Jo. "B," sighed Meg.' (also '"B!" / cried Meg.') and
            # '"Why?" asked Jo. "Because."' are two speakers; '"A," said Jo. "B."'
            # is one going on.  After an attribution line of its own
            # ('"Why?" / asked Jo. / "Because."') only an answer word or a short
            # statement makes a reply to the question: the asker often goes on
            answered = asked and (not carried or len(tokens) > 1 and tokens[1].lower() in _ANSWER_WORDS
                                  or _short_statement(sentences[s], closers))
            replies = closed_in_sentence and not quote_open and (answered or _says_apart(sentences, s, closers))
            # '"A," said Jo, <narration>. "B," said Meg.': another named speaker
            other = _other_speaker(_speaker_key(_after_quotation(sentences, s, closers)), speaker)
            newpara = after_quote or replies or other
        else:
            newpara = after_quote and tokens[0][:1].isupper() and not _attributes(tokens)
        if not paragraphs or newpara or keys[s][0] in breaks:
            paragraphs.append([])
            length, prev, prev_opened, quote_open, speaker = 0, None, False, False, None
        parts = paragraphs[-1]
        speaker = _speaker_key(_after_quotation(sentences, s, closers)) or speaker
        if set(tokens) & (closers | openers) or not _attributes(tokens):
            # an attribution on its own line ('"Why?" / asked Jo.') keeps
            # what the quotation before it ended with
            closed_in_sentence = asked = carried = False
        else:
            carried = closed_in_sentence
        for t, tok in enumerate(tokens):
            space = bool(parts) and prev not in _NO_SPACE_AFTER and not prev_opened
            opened = False
            if tok in straight:
                # a straight mark opening a sentence opens a quote and one
                # ending it closes, whatever came before (stray marks such as
                # a nested quote's would otherwise invert every later quote)
                opened = t == 0 or (t < len(tokens) - 1 and not quote_open)
                space = space and opened
                quote_open = opened
            elif tok == "'" or tok in _NO_SPACE_BEFORE:
                space = False
            if tok in ("“", "‘") and (tok == "“" or single_style):
                quote_open = opened = True
            elif tok == "”" or (tok == "’" and single_style):
                quote_open = False
            if t and keys[s][t] in breaks or opened and t and prev in _CLOSERS and not prev_opened:
                # quotes back to back in one sentence ('… me ----" "Florence can …')
                # are two speakers' lines run together by the tokeniser
                paragraphs.append([])
                parts, length, space = paragraphs[-1], 0, False
            if tok in closers and not quote_open and not opened:
                closed_in_sentence = True
                asked = prev == "?"
            if space:
                parts.append(" ")
                length += 1
            where[keys[s][t]] = (len(paragraphs) - 1, length, length + len(tok))
            parts.append(tok)
            length += len(tok)
            prev, prev_opened = tok, opened
    return Excerpt(["".join(p) for p in paragraphs], where)


def _reattach_openers(sentences: list[list[str]], straight: set[str]
                      ) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """Move a straight mark the tokeniser left at the end of a sentence to the sentence it opens.

    ('" Yes , " she said . "' / 'Come in . "', or '… thoughts -- " "' / 'Walk
    in ! "': the last mark, after a sentence end or a closing mark, closes
    no quotation; it opens the next sentence's.)  Marks are followed as
    :func:`detokenise` reads them: one opening a sentence, or inside one
    while none is open, opens.  A sentence where a mark opened inside an
    open quotation holds a nested one ('" Yours , " ANNE . "') and keeps
    its marks.  Returns the sentences and, for each token, its (sentence,
    token) position in the input.
    """
    moved = [list(tokens) for tokens in sentences]
    keys = [[(s, t) for t in range(len(tokens))] for s, tokens in enumerate(sentences)]
    quote_open = False
    for s, tokens in enumerate(moved):
        last = len(tokens) - 1
        nested = False
        for t, tok in enumerate(tokens):
            if tok not in straight:
                continue
            stray = t == last and t and not quote_open and not nested \
                and (tokens[t - 1] in (".", "!", "?") or tokens[t - 1] in straight)
            if stray and s + 1 < len(moved) and moved[s + 1] and moved[s + 1][0] not in straight:
                moved[s + 1].insert(0, tokens.pop())
                keys[s + 1].insert(0, keys[s].pop())
                break
            opens = t == 0 or (t < last and not quote_open)
            nested = nested or opens and quote_open
            quote_open = opens
    return moved, keys


def _says_apart(sentences: list[list[str]], s: int, closers: set[str]) -> bool:
    """The quotation opening sentence ``s`` is attributed right after it closes.

    The attribution follows in the sentence ('"B," sighed Meg.') or, when the
    quotation closes the sentence on '?' or '!', opens the next one
    ('"Good heavens!"' / 'I added.'); a quotation ending in '.' ends its sentence.
    """
    after = _after_quotation(sentences, s, closers)[:4]
    return bool(after) and after[0] not in _QUOTE_MARKS and (_attributes(after) or _goes_on(after))


def _after_quotation(sentences: list[list[str]], s: int, closers: set[str]) -> list[str]:
    """The tokens after the first quotation of sentence ``s`` closes, or the next
    sentence's when it closes the sentence on '?' or '!'."""
    tokens = sentences[s]
    for t, tok in enumerate(tokens[1:], 1):
        if tok in closers:
            after = tokens[t + 1:]
            if not after and tokens[t - 1] in ("?", "!") and s + 1 < len(sentences):
                after = sentences[s + 1]
            return after
    return []


def _speaker_key(after: list[str]) -> str | None:
    """Who an attribution names: a name's last word, or he / she / I; None when
    there is no attribution or it names someone otherwise ('the man')."""
    verb = next((v for v, tok in enumerate(after[:4]) if tok.lower() in SAY_VERBS), None)
    if verb is None:
        return None
    subject = after[:verb] or list(takewhile(lambda tok: tok[:1].isalpha(), after[verb + 1:verb + 4]))
    if subject and subject[0].lower() in _PRONOUNS:
        return subject[0].lower()
    name = list(takewhile(lambda tok: tok[:1].isupper(), dropwhile(lambda tok: not tok[:1].isupper(), subject)))
    return name[-1] if name and name[-1].lower().rstrip(".") not in _TITLES else None


def _other_speaker(key: str | None, before: str | None) -> bool:
    """Two attributions name different people: two names, 'he' and 'she', or 'I' and another."""
    if key is None or before is None or key == before:
        return False
    return "i" in (key, before) or (key in _PRONOUNS) == (before in _PRONOUNS)


def _short_statement(tokens: list[str], closers: set[str]) -> bool:
    """The sentence is one quotation of a few words asking nothing ('"Seven o'clock."')."""
    quoted = tokens[1:-1]
    words = [tok for tok in quoted if tok[:1].isalnum()]
    return len(tokens) > 2 and tokens[-1] in closers and quoted[-1] != "?" \
        and not set(quoted) & closers and len(words) <= _SHORT_WORDS


def _goes_on(tokens: list[str]) -> bool:
    """A verb and particle of speaking ('went on Sir Henry', 'he broke in')."""
    words = [t.lower() for t in tokens]
    return any(PHRASAL_SAY.get(word) == particle for word, particle in zip(words, words[1:]))


def _attributes(tokens: list[str]) -> bool:
    """A sentence opening with an attribution ("Spike asks.", "Said he.")."""
    return any(t.lower() in SAY_VERBS for t in tokens[:4])


def _single_style(sentences: list[list[str]]) -> bool:
    """True when single marks delimit speech (more ‘/' openers than double marks)."""
    tokens = Counter(tok for sentence in sentences for tok in sentence)
    double = tokens['"'] + tokens["“"] + tokens["”"]
    single = tokens["‘"] + tokens["'"]
    return single > 2 * double


@dataclass
class GoldQuote:
    start: tuple[int, int]
    end: tuple[int, int]
    speaker: str


def read_gold(ann: Path) -> list[GoldQuote]:
    """QUOTE rows joined with their ATTRIB speaker."""
    spans, speakers = {}, {}
    for line in ann.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if cols[0] == "QUOTE":
            spans[cols[1]] = ((int(cols[2]), int(cols[3])), (int(cols[4]), int(cols[5])))
        elif cols[0] == "ATTRIB":
            speakers[cols[1]] = cols[2]
    return [GoldQuote(*spans[q], speakers.get(q, "")) for q in spans]


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def _gold_words(speaker_id: str) -> list[str]:
    return _words(re.sub(r"-\d+$", "", speaker_id))


def _is_narrator(words: list[str]) -> bool:
    return "i" in words or "narrator" in words


def speaker_matches(predicted: str | None, gold_id: str, strict: bool,
                    aliases: Sequence[str] = ()) -> bool:
    """Scoring rule of the module doc (lenient or strict).

    ``aliases`` are the other surface forms of the predicted character in
    the cast used for prediction (lenient rule only).
    """
    if not predicted:
        return False
    gold = _gold_words(gold_id)
    if predicted == NARRATOR:
        return _is_narrator(gold)
    if strict:
        pred = _words(predicted)
        return [w for w in pred if w not in _ARTICLES] == [w for w in gold if w not in _ARTICLES]
    pred_words = {w for name in (predicted, *aliases) for w in _words(name) if w not in _TITLES}
    return bool(pred_words & {w for w in gold if w not in _TITLES})


def b_cubed(pairs: Sequence[tuple[str, str]]) -> tuple[float, float]:
    """Summed B-cubed precision and recall of one excerpt's quotes grouped by speaker.

    ``pairs`` holds (gold speaker, predicted speaker) per gold quote; a quote
    missed or left unattributed is a cluster of its own.  For each quote,
    precision is the share of quotes given the same predicted speaker that
    have its gold speaker, recall the share of its gold speaker's quotes
    given its predicted speaker.
    """
    together = Counter(pairs)
    by_gold = Counter(g for g, _ in pairs)
    by_pred = Counter(p for _, p in pairs)
    precision = sum(together[(g, p)] / by_pred[p] for g, p in pairs)
    recall = sum(together[(g, p)] / by_gold[g] for g, p in pairs)
    return precision, recall


def _token_owners(excerpt: Excerpt, predicted: list[Quote]) -> dict[tuple[int, int], int]:
    """Which predicted quote (by index) covers each gold token, if any."""
    by_paragraph: dict[int, list[tuple[int, int, tuple[int, int]]]] = defaultdict(list)
    for key, (p, start, end) in excerpt.where.items():
        by_paragraph[p].append((start, end, key))
    owner = {}
    for k, quote in enumerate(predicted):
        for start, end, key in by_paragraph[quote.paragraph]:
            if start >= quote.start and end <= quote.end:
                owner[key] = k
    return owner


def split_files(data: Path, split: str) -> list[Path]:
    """The excerpt files of one split (see module doc): sorted, dev even, test odd."""
    files = sorted(data.glob("*.txt"), key=lambda path: path.name)
    if split == "all":
        return files
    return files[(split == "test")::2]


def evaluate(data: Path, verbose: bool, split: str = "all", gold_paragraphs: bool = False) -> None:
    """Score every excerpt of ``split`` and print the figures."""
    totals: Counter[str] = Counter()
    by_method: dict[str, Counter[str]] = defaultdict(Counter)
    files = split_files(data, split)
    print(f"LitBank speakers, split {split}: {len(files)} excerpts"
          + (" (DIAGNOSTIC: paragraph breaks placed from the gold speakers)" if gold_paragraphs else ""))
    for txt in files:
        gold = read_gold(txt.with_suffix(".ann"))
        if not gold:
            continue
        sentences = [line.split(" ") if line.strip() else [] for line in
                     txt.read_text(encoding="utf-8").split("\n")]
        in_order = sorted(gold, key=lambda g: g.start)
        speaker_changes = frozenset(b.start for a, b in zip(in_order, in_order[1:]) if a.speaker != b.speaker)
        excerpt = detokenise(sentences, speaker_changes if gold_paragraphs else frozenset())
        cast = Cast.from_text(excerpt.paragraphs)
        predicted = attribute_paragraphs(excerpt.paragraphs, cast)
        surfaces: dict[str, list[str]] = defaultdict(list)
        for surface, canonical in cast.names.items():
            surfaces[canonical].append(surface)
        owner = _token_owners(excerpt, predicted)
        keys_in_order = sorted(excerpt.where)
        book = Counter()
        pairs: list[tuple[str, str]] = []  # (gold speaker, predicted cluster) per gold quote
        for g in gold:
            keys = keys_in_order[bisect_left(keys_in_order, g.start):bisect_right(keys_in_order, g.end)]
            votes = Counter(owner[k] for k in keys if k in owner)
            totals["gold"] += 1
            book["gold"] += 1
            if not votes or votes.most_common(1)[0][1] * 2 < len(keys):
                pairs.append((g.speaker, f"missed {len(pairs)}"))
                if verbose:
                    print(f"  MISSED  {txt.stem[:30]} {g.start} {g.speaker}")
                continue
            quote = predicted[votes.most_common(1)[0][0]]
            pairs.append((g.speaker, quote.speaker or f"unknown {len(pairs)}"))
            totals["found"] += 1
            ok = speaker_matches(quote.speaker, g.speaker, strict=False,
                                 aliases=surfaces.get(quote.speaker or "", ()))
            strict_ok = speaker_matches(quote.speaker, g.speaker, strict=True)
            totals["lenient"] += ok
            totals["strict"] += strict_ok
            book["lenient"] += ok
            by_method[quote.method]["n"] += 1
            by_method[quote.method]["ok"] += ok
            if verbose and not ok:
                print(f"  WRONG   {txt.stem[:30]} p{quote.paragraph} {quote.method:11} "
                      f"pred={quote.speaker!s:18} gold={g.speaker:22} | {quote.text[:60]}")
        b3_precision, b3_recall = b_cubed(pairs)
        totals["b3 precision"] += b3_precision
        totals["b3 recall"] += b3_recall
        if verbose:
            print(f"{txt.stem[:45]:45} {book['lenient']:3}/{book['gold']:3}  "
                  f"B3 P {b3_precision / len(pairs):.2f} R {b3_recall / len(pairs):.2f}")
    n, found = totals["gold"], totals["found"]
    print(f"gold quotes: {n}   found: {found} ({found / n:.1%} recall of quote spans)")
    print(f"speaker accuracy, lenient (name-word match): {totals['lenient'] / n:.1%} of gold quotes, "
          f"{totals['lenient'] / found:.1%} of found quotes")
    print(f"speaker accuracy, strict (exact name):       {totals['strict'] / n:.1%} of gold quotes, "
          f"{totals['strict'] / found:.1%} of found quotes")
    precision, recall = totals["b3 precision"] / n, totals["b3 recall"] / n
    print(f"speaker clusters, B-cubed (names ignored):   precision {precision:.1%}, recall {recall:.1%}, "
          f"F1 {2 * precision * recall / (precision + recall):.1%}")
    print("by attribution method (found quotes):")
    for method, c in sorted(by_method.items(), key=lambda kv: -kv[1]["n"]):
        print(f"  {method:12} {c['n']:5} quotes  {c['ok'] / c['n']:.1%} correct (lenient)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=shared_data("litbank_quotes", "tsv"))
    parser.add_argument("--verbose", action="store_true", help="list misses and wrong speakers")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="excerpts scored: dev (even positions), test (odd) or all")
    parser.add_argument("--gold-paragraphs", action="store_true",
                        help="diagnostic, not a score: also break paragraphs where the gold speaker changes, "
                             "to measure what guessing paragraph breaks costs")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"LitBank quotation data not found at {args.data}")
    evaluate(args.data, args.verbose, args.split, args.gold_paragraphs)


if __name__ == "__main__":
    main()
