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
from collections.abc import Collection, Container, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe

from fanarchive.search.sql import FTS_CONFIG, FTS_TABLE, PG_FTS_TABLE

#: Longest query honoured, in terms (a runaway query is cut, with a notice).
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_START, _STOP = "\x02", "\x03"
_PG_HEADLINE = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \""
)


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


def _term_sql(term: Term, ranked: bool = True) -> tuple[str, list[str]]:
    """SQL selecting ``(work_id, relevance)`` per posted chapter matching ``term``.

    Unranked, relevance is 0 and PostgreSQL answers from the GIN index alone
    (ranking reads every matching chapter's stored vector).
    """
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery([term])
        rank = "ts_rank(document, q)" if ranked else "0"
        return f"SELECT work_id, {rank} FROM {PG_FTS_TABLE}, {tsquery} AS q WHERE document @@ q", params
    rank = f"-bm25({FTS_TABLE})" if ranked else "0"  # bm25 is lower for better matches
    return f"SELECT work_id, {rank} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts5_match([term])]


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

    A work's relevance is the sum over terms of its best chapter's score.
    """
    total: dict[int, float] | None = None
    with _text_index_plans(), connection.cursor() as cursor:
        for term in query.terms:
            cursor.execute(*_term_sql(term, ranked))
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


#: Reading a chapter's work id through FTS5 costs about as much as scanning
#: this many entries of the chapter work-id index (measured at 100k works).
_LOOKUP_PER_SCAN = 50


def ranks_in_index(query: TextQuery) -> bool:
    """Whether to let the text index order works itself (:func:`matching_ids`, :func:`ranked_page`).

    Only on SQLite, for one term (a work's relevance is then its best
    chapter's bm25, which FTS5 sorts by: ``ORDER BY rank``), and when it
    matches many chapters: scoring every match reads each match's work id,
    stored after the chapter text in FTS5's content row, which is cheap for
    few matches but not for many.
    """
    if connection.vendor != "sqlite" or len(query.terms) != 1:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts5_match(query.terms)])
        (found,) = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM works_chapter")
        (chapters,) = cursor.fetchone()
    return found * _LOOKUP_PER_SCAN >= (chapters or 0)


def matching_ids(query: TextQuery) -> set[int]:
    """Every work with a posted chapter matching the SQLite ``query``, unranked.

    Scans the small covering ``works_chapter(work_id)`` index for the matching
    chapter ids (``+id`` keeps SQLite from looking up each long chapter row).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT work_id FROM works_chapter "
            f"WHERE +id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [_fts5_match(query.terms)],
        )
        return {work_id for (work_id,) in cursor.fetchall()}


#: At most this many allowed works are ranked directly rather than by walking FTS5's ranked results.
SMALL_SET = 2000
_BATCH = 200


def ranked_page(query: TextQuery, allowed: Collection[int], offset: int, count: int) -> list[int]:
    """Works ``offset … offset+count`` of ``allowed`` by relevance (ties: newest id first), one-term SQLite query.

    Same order as ranking :func:`scores`: a small ``allowed`` set is scored
    chapter by chapter; otherwise FTS5's ranked chapters are walked until the
    page is full and no unseen work can tie with its last one, so only the
    top of the ranking is ever read.
    """
    match = _fts5_match(query.terms)
    with connection.cursor() as cursor:
        if len(allowed) <= SMALL_SET:
            best = _best_chapter_scores(cursor, match, allowed)
        else:
            best = _walk_ranked(cursor, match, allowed, offset + count)
    ordered = sorted(best, key=lambda work_id: (-best[work_id], -work_id))
    return ordered[offset : offset + count]


def _best_chapter_scores(cursor, match: str, work_ids: Iterable[int]) -> dict[int, float]:
    """Each of ``work_ids`` that matches, with its best chapter's relevance.

    Every matching chapter's id and score come from the index alone (cheap);
    a ``rowid IN (…)`` constraint would re-run the match once per chapter.
    """
    chapters = _chapters_of(cursor, work_ids)
    best: dict[int, float] = {}
    if not chapters:
        return best
    cursor.execute(f"SELECT rowid, -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    for chapter_id, score in cursor.fetchall():
        work_id = chapters.get(chapter_id)
        if work_id is not None and score > best.get(work_id, float("-inf")):
            best[work_id] = score
    return best


def _walk_ranked(cursor, match: str, allowed: Container[int], wanted: int) -> dict[int, float]:
    """The best ``wanted`` allowed works (and any tied with the last), from FTS5's ranked chapters."""
    cursor.execute(
        f"SELECT work_id, -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank", [match]
    )
    best: dict[int, float] = {}
    floor = None  # the score of the wanted-th work, once found
    while rows := cursor.fetchmany(_BATCH):
        for work_id, score in rows:
            if floor is not None and score < floor:
                return best
            if work_id in allowed and work_id not in best:  # rows come best first: the first is the work's best
                best[work_id] = score
                if len(best) == wanted:
                    floor = score
    return best


def _chapters_of(cursor, work_ids: Iterable[int]) -> dict[int, int]:
    """Chapter id → work id for the chapters of ``work_ids`` (from the covering work_id index)."""
    sql, params = id_list_sql(work_ids)
    cursor.execute(f"SELECT id, work_id FROM works_chapter WHERE work_id IN ({sql})", params)
    return dict(cursor.fetchall())


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
        marks = ", ".join(["%s"] * len(ids))
        tsquery, params = _pg_tsquery(query.terms, joiner=" | ")
        sql = (
            "SELECT DISTINCT ON (t.work_id) t.work_id, ts_headline("
            f"'{FTS_CONFIG}', regexp_replace(c.body, '<[^>]*>', ' ', 'g'), query, %s) "
            f"FROM {PG_FTS_TABLE} t JOIN works_chapter c ON c.id = t.chapter_id, {tsquery} AS query "
            f"WHERE t.document @@ query AND t.work_id IN ({marks}) "
            "ORDER BY t.work_id, ts_rank(t.document, query) DESC"
        )
        args = [_PG_HEADLINE, *params, *ids]
        found: dict[int, SafeString] = {}
        with _text_index_plans(), connection.cursor() as cursor:
            cursor.execute(sql, args)
            for work_id, raw in cursor.fetchall():
                if work_id not in found:
                    found[work_id] = _highlight(html.unescape(raw))
        return found
    return _fts5_snippets(query, ids)


def _fts5_snippets(query: TextQuery, work_ids: list[int]) -> dict[int, SafeString]:
    """SQLite snippets, selecting the works' chapters by rowid.

    Filtering FTS5 rows on ``work_id`` would read that column (stored after
    the whole chapter text) for every match; the chapter ids come cheaply
    from the ``works_chapter(work_id)`` index instead.
    """
    with connection.cursor() as cursor:
        chapters = _chapters_of(cursor, work_ids)
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}), snippet({FTS_TABLE}, 0, char(2), char(3), '…', 24) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
            [_fts5_match(query.terms, joiner=" OR "), json.dumps(sorted(chapters))],
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[1])  # bm25: lower is a better match
    found: dict[int, SafeString] = {}
    for chapter_id, _score, raw in rows:
        found.setdefault(chapters[chapter_id], _highlight(raw))
    return found
