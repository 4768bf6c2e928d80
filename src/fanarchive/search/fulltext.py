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
from collections.abc import Iterable
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


def _highlight(raw: str) -> SafeString:
    """Escape a snippet and turn the match markers into ``<mark>``."""
    escaped = html.escape(raw, quote=False)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def snippets(query: TextQuery, work_ids: Iterable[int]) -> dict[int, SafeString]:
    """A highlighted passage from the best-matching chapter of each work."""
    ids = list(work_ids)
    if not ids or not query:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(query.terms, joiner=" | ")
        sql = (
            "SELECT DISTINCT ON (t.work_id) t.work_id, ts_headline("
            f"'{FTS_CONFIG}', regexp_replace(c.body, '<[^>]*>', ' ', 'g'), query, %s) "
            f"FROM {PG_FTS_TABLE} t JOIN works_chapter c ON c.id = t.chapter_id, {tsquery} AS query "
            f"WHERE t.document @@ query AND t.work_id IN ({marks}) "
            "ORDER BY t.work_id, ts_rank(t.document, query) DESC"
        )
        args = [_PG_HEADLINE, *params, *ids]
    else:
        sql = (
            f"SELECT work_id, snippet({FTS_TABLE}, 0, char(2), char(3), '…', 24) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND work_id IN ({marks}) ORDER BY rank"
        )
        args = [_fts5_match(query.terms, joiner=" OR "), *ids]
    found: dict[int, SafeString] = {}
    with _text_index_plans(), connection.cursor() as cursor:
        cursor.execute(sql, args)
        for work_id, raw in cursor.fetchall():
            if work_id not in found:
                text = html.unescape(raw) if connection.vendor == "postgresql" else raw
                found[work_id] = _highlight(text)
    return found
