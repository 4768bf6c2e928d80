"""Full-text search inside stories: words, "phrases" and prefix* terms.

The query language is small and the same on every database: words are
required (AND, anywhere in the work), ``"two words"`` must appear together
in order, ``word*`` matches any word starting with ``word``. Everything else (punctuation,
operators) is ignored, so user input can never break the query.

SQLite answers from the FTS5 table ``search_chapter_fts``; PostgreSQL from
stored tsvectors (``search_chapter_tsv``, GIN index). Both are kept in sync
with the chapters by triggers (see :mod:`fanarchive.search.sql`). Only posted
chapters are searched; see :func:`scores` for ranking.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe

from fanarchive.search.sql import FTS_CONFIG, FTS_TABLE, PG_FTS_TABLE, REPEAT_LEVELS, WORK_SHIFT
from fanarchive.search.text import plaintext

#: Longest query honoured, in terms (a runaway query is cut, with a notice).
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_START, _STOP = "\x02", "\x03"
#: Words in a snippet computed in Python (PostgreSQL).
PASSAGE_WORDS = 30


@dataclass(frozen=True)
class Term:
    """One required part of a query: a phrase of one or more words, maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class TextQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse(q: str) -> TextQuery:
    """Read a search box: ``"a phrase"``, ``word``, ``pref*``; anything else is dropped."""
    terms: list[Term] = []
    for match in _TERM.finditer(q):
        quoted, bare = match.groups()
        if quoted is not None:
            words = tuple(w.casefold() for w in _WORD.findall(quoted))
            if words:
                terms.append(Term(words))
            continue
        words = tuple(w.casefold() for w in _WORD.findall(bare))
        if not words:
            continue
        # "don't" or "x-men" are one phrase, as the tokenizers split them.
        terms.append(Term(words, prefix=bare.endswith("*")))
    return TextQuery(tuple(dict.fromkeys(terms))[:MAX_TERMS])


def _fts5_match(terms: Iterable[Term], joiner: str = " AND ") -> str:
    """An FTS5 MATCH expression (every word quoted, so nothing is an operator)."""
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.words) + '"'
        parts.append(phrase + " *" if term.prefix else phrase)
    return joiner.join(parts)


def _pg_tsquery(terms: Iterable[Term], joiner: str = " & ") -> tuple[str, list[str]]:
    """A tsquery SQL expression and its parameter.

    Words are ``\\w+`` only, quoted as lexemes, so to_tsquery never sees an
    operator from the user.
    """
    parts = []
    for term in terms:
        lexemes = [f"'{word}'" for word in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return f"to_tsquery('{FTS_CONFIG}', %s)", [joiner.join(parts)]


def _term_sql(term: Term, ranked: bool = True, within: Collection[int] | None = None) -> tuple[str, list[str]]:
    """SQL selecting ``(work_id, relevance)`` per posted chapter matching ``term`` (0 unranked).

    On SQLite only, ``within`` keeps the chapters of those works: the test
    reads the rowid alone, so bm25() runs for them only.
    """
    if connection.vendor == "postgresql":
        return _pg_term_sql(term, ranked)
    rank = f"-bm25({FTS_TABLE})" if ranked else "0"  # bm25 is lower for better matches
    sql = f"SELECT rowid >> {WORK_SHIFT}, {rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    if within is None:
        return sql, [_fts5_match([term])]
    return f"{sql} AND rowid >> {WORK_SHIFT} IN (SELECT value FROM json_each(%s))", [
        _fts5_match([term]), json.dumps(sorted(within))
    ]


#: Words whose lexeme PostgreSQL's parser writes exactly as :func:`parse` does.
_PLAIN_WORD = re.compile(r"[a-z0-9]+")


def _pg_term_sql(term: Term, ranked: bool) -> tuple[str, list[str]]:
    """PostgreSQL: ``(work_id, relevance)`` per matching chapter, from the GIN indexes where it can.

    A word scores 1, plus 1 for each of ``REPEAT_LEVELS`` its chapter
    reaches (2, 4, 8 times), each level one lookup in the ``repeats`` index:
    ``ts_rank`` would read every matching chapter's whole vector (about
    16 KB each; 10k matches took ~150 ms). A phrase must be checked against
    each matching chapter's vector, and ``ts_rank`` would read it again
    (1,965 matches at 100k works: 23 → 29 ms), so a phrase scores 1.
    A word the repeats index cannot look up (not plain ASCII letters and
    digits: PostgreSQL may fold or split it differently) scores 1 +
    ``ts_rank`` (under 0.1). Unranked, every match is 0, from the index alone.
    """
    tsquery, params = _pg_tsquery([term])
    matches = f"SELECT work_id, {{score}} FROM {PG_FTS_TABLE}, {tsquery} AS q WHERE document @@ q"
    if not ranked:
        return matches.format(score="0"), params
    if len(term.words) > 1:
        return matches.format(score="1"), params
    if not _PLAIN_WORD.fullmatch(term.words[0]):
        return matches.format(score="1 + ts_rank(document, q)"), params
    parts, args = [matches.format(score="1")], list(params)
    for score, level in enumerate(REPEAT_LEVELS, start=2):
        parts.append(f"SELECT work_id, {score} FROM {PG_FTS_TABLE} WHERE repeats @@ %s::tsquery")
        args.append(f"'{level}|{term.words[0]}'" + (":*" if term.prefix else ""))
    return " UNION ALL ".join(parts), args


def _rarest_first(cursor, terms: tuple[Term, ...]) -> list[Term]:
    """SQLite: the terms, fewest matching chapters first (FTS5 counts from the index alone)."""
    if connection.vendor != "sqlite" or len(terms) < 2:
        return list(terms)
    found = {}
    for term in terms:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts5_match([term])])
        (found[term],) = cursor.fetchone()
    return sorted(terms, key=found.__getitem__)


def id_list_sql(work_ids: Iterable[int]) -> tuple[str, list[str]]:
    """SQL selecting ``work_ids`` from one parameter (for ``pk IN (…)`` on the ORM path).

    One array / JSON parameter rather than one per id, so any number of
    matches fits within the databases' bound-parameter limits.
    """
    ids = sorted(work_ids)
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


@contextmanager
def _text_index_plans():
    """On PostgreSQL, make the planner use the GIN index.

    It prices a sequential scan of the narrow side table as cheap because it
    does not count reading every chapter's out-of-line tsvector, which is
    what actually costs (10k works: 390 ms scanning vs a few ms via GIN).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def scores(query: TextQuery, ranked: bool = True) -> dict[int, float]:
    """Every work matching all terms, with its relevance (higher is better; 0 unranked).

    A work's relevance is the sum over terms of its best chapter's score
    (bm25 on SQLite; on PostgreSQL see :func:`_pg_term_sql`). On
    SQLite, the rarest term goes first and each next one is scored only in
    the works still matching ("the lantern" at 100k works: 0.9 s → 0.3 s).
    """
    total: dict[int, float] | None = None
    with _text_index_plans(), connection.cursor() as cursor:
        for term in _rarest_first(cursor, query.terms):
            cursor.execute(*_term_sql(term, ranked, within=total))
            best: dict[int, float] = {}
            for work_id, score in cursor.fetchall():
                if score > best.get(work_id, float("-inf")):
                    best[work_id] = score
            if total is None:
                total = best
            else:
                total = {work_id: total[work_id] + score for work_id, score in best.items() if work_id in total}
            if not total:
                break
    return total or {}


def _highlight(raw: str) -> SafeString:
    """Escape a snippet and turn the match markers into ``<mark>``."""
    escaped = html.escape(raw, quote=False)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def snippets(query: TextQuery, work_ids: Iterable[int]) -> dict[int, SafeString]:
    """A highlighted passage from the best-matching chapter of each work."""
    ids = list(work_ids)
    if not ids or not query:
        return {}
    if connection.vendor == "postgresql":
        return _pg_snippets(query, ids)
    return _fts5_snippets(query, ids)


def _pg_snippets(query: TextQuery, work_ids: list[int]) -> dict[int, SafeString]:
    """PostgreSQL snippets: each work's best matching chapter, its passage found in Python.

    ``ts_headline`` re-parses each chapter and took ~30 ms a page, half of
    a whole text search; the passage is found in the one chapter's text.
    """
    tsquery, params = _pg_tsquery(query.terms, joiner=" | ")
    sql = (
        f"SELECT DISTINCT ON (t.work_id) t.work_id, c.body FROM {PG_FTS_TABLE} t "
        f"JOIN works_chapter c ON c.id = t.chapter_id, {tsquery} AS query "
        "WHERE t.document @@ query AND t.work_id = ANY(%s) ORDER BY t.work_id, ts_rank(t.document, query) DESC"
    )
    with _text_index_plans(), connection.cursor() as cursor:
        cursor.execute(sql, [*params, work_ids])
        return {work_id: passage(body, query) for work_id, body in cursor.fetchall()}


def passage(body: str, query: TextQuery, words: int = PASSAGE_WORDS) -> SafeString:
    """About ``words`` words of ``body`` (stored HTML) from just before its first match, matches in ``<mark>``.

    Matching follows :func:`parse`: ``\\w+`` words, any case; a phrase's
    words in order with only non-word characters between; a prefix at the
    start of a word. One regular expression search finds the first match,
    so only the passage itself is split into words (splitting a whole
    chapter took ~1.5 ms). With no match (a database tokenizer may split words
    differently) the passage is the text's beginning.
    """
    text = plaintext(body)
    pattern = _match_pattern(query)
    first = pattern.search(text) or _WORD.search(text)
    start = 0
    if first is not None:
        lead = max(1, words // 4)  # words shown before the match
        before = [m.start() for m in _WORD.finditer(text, max(0, first.start() - 20 * lead), first.start())]
        start = before[-lead] if len(before) >= lead else before[0] if before else first.start()
    end = len(text)
    for count, word in enumerate(_WORD.finditer(text, start), start=1):
        if count == words:
            end = word.end()
            break
    pieces = ["…" if text[:start].strip() else ""]
    position = start
    for hit in pattern.finditer(text, start, end):
        pieces += [_plain(text[position : hit.start()]), f"<mark>{_plain(hit.group())}</mark>"]
        position = hit.end()
    pieces += [_plain(text[position:end]), "…" if text[end:].strip() else ""]
    return mark_safe("".join(pieces).strip())


def _plain(text: str) -> str:
    """Plain text for a snippet: escaped, white space runs (paragraph breaks) as one space."""
    return html.escape(_SPACES.sub(" ", text), quote=False)


def _match_pattern(query: TextQuery) -> re.Pattern[str]:
    """A regular expression matching any term of ``query`` in plain text."""
    alternatives = [
        r"\b" + r"\W+".join(re.escape(word) for word in term.words) + (r"\w*" if term.prefix else r"\b")
        for term in query.terms
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _fts5_snippets(query: TextQuery, work_ids: list[int]) -> dict[int, SafeString]:
    """SQLite snippets, in one pass over the matches within the works' rowid span.

    A work's chapters are one rowid range (``WORK_SHIFT``), and the work id
    test reads the rowid only, so snippet() and bm25() run for the page's
    chapters alone. One pass, not one per work: bm25() counts each term's
    matches in the whole index once per pass, which dominated 20 range probes.
    """
    span = [min(work_ids) << WORK_SHIFT, ((max(work_ids) + 1) << WORK_SHIFT) - 1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid >> {WORK_SHIFT}, bm25({FTS_TABLE}), "
            f"snippet({FTS_TABLE}, 0, char(2), char(3), '…', 24) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s "
            f"AND rowid >> {WORK_SHIFT} IN (SELECT value FROM json_each(%s))",
            [_fts5_match(query.terms, joiner=" OR "), *span, json.dumps(work_ids)],
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[1])  # bm25: lower is a better match
    found: dict[int, SafeString] = {}
    for work_id, _score, raw in rows:
        found.setdefault(work_id, _highlight(raw))
    return found
