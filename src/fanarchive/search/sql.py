"""SQL the search app installs: change-log triggers and full-text structures.

Kept in one module so the migration and the after-``migrate`` re-install
(apps.py) share it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

#: Work columns the filter index reads (``title`` stands for ``sort_title``,
#: which save() derives from it); an UPDATE touching none of them (a summary
#: edit) is not logged.
INDEXED_WORK_COLUMNS = (
    "posted", "restricted", "complete", "language", "word_count", "published_at",
    "updated_at", "hits", "kudos_count", "bookmarks_count", "comments_count", "title",
)  # fmt: skip

FTS_TABLE = "search_chapter_fts"
#: SQLite: an FTS5 row's rowid is ``work_id << WORK_SHIFT | chapter_id``, so a
#: match's work id is ``rowid >> WORK_SHIFT``, read from the index alone (a
#: stored column would be read from the row, after the chapter text), and a
#: work's chapters are one rowid range. Chapter ids must stay below 2**32 and
#: work ids below 2**31 (a signed 64-bit rowid).
WORK_SHIFT = 32
#: FTS5's in-memory buffer before it writes a segment (default 1 MB): a bulk
#: load or rebuild in one transaction writes far fewer, larger segments and
#: merges less (~1.4x less CPU); single chapter writes never fill it.
FTS_HASHSIZE = 64 * 1024 * 1024
#: FTS5's default: merge once this many segments of one size exist.
FTS_AUTOMERGE = 4
#: PostgreSQL text search configuration of queries (and of documents without
#: :data:`PG_TEXT_EXTENSION`). "simple" (no stemming, no stop words) matches
#: SQLite's unicode61 tokenizer, so both databases find the same works and
#: prefix queries ("run*") see the words as written.
FTS_CONFIG = "simple"
PG_FTS_TABLE = "search_chapter_tsv"
#: fanarchive's own PostgreSQL extension (``search/pg_extension``, C): its
#: ``fanarchive_tsvector(body)`` splits a chapter into words four to six
#: times faster than ``to_tsvector('simple', body)``, so a text index rebuild is
#: no longer bound by PostgreSQL's parser. Used for documents whenever its
#: files are installed on the database server; queries need nothing from it.
PG_TEXT_EXTENSION = "fanarchive_text"
#: PostgreSQL relevance without reading whole documents: beside each
#: chapter's tsvector, a small positionless one (``repeats``, GIN-indexed)
#: holds ``2|word`` for every word the chapter has at least twice, ``4|word``
#: at least four times, and so on. Ranking a word then takes one index
#: lookup per level instead of reading every matching chapter's vector.
REPEAT_LEVELS = (2, 4, 8)

_LOG = "INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES"


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in INDEXED_WORK_COLUMNS)


def _fts_rowid(row: str) -> str:
    """The FTS5 rowid of chapter ``row`` (``NEW``, ``OLD`` or a table name)."""
    return f"(({row}.work_id << {WORK_SHIFT}) | {row}.id)"


#: (Re)filling the SQLite text index from every posted chapter, in rowid
#: order: FTS5 writes out its buffer whenever a rowid goes backwards.
FTS_FILL = (
    f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT {_fts_rowid('works_chapter')}, "
    "fanarchive_plaintext(works_chapter.body) FROM works_chapter WHERE works_chapter.posted "
    "ORDER BY works_chapter.work_id, works_chapter.id"
)
_FTS_TRIGGERS = ("search_fts_chapter_ins", "search_fts_chapter_upd", "search_fts_chapter_del")


def _sqlite_forward() -> list[str]:
    fts_insert = (
        f"INSERT INTO {FTS_TABLE}(rowid, text) "
        f"SELECT {_fts_rowid('NEW')}, fanarchive_plaintext(NEW.body) WHERE NEW.posted;"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_log_work_ins AFTER INSERT ON works_work BEGIN {_LOG} ('w', NEW.id, NULL); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_work_upd AFTER UPDATE ON works_work WHEN {_changed('IS NOT')} "
        f"BEGIN {_LOG} ('w', NEW.id, NULL); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_work_del AFTER DELETE ON works_work BEGIN {_LOG} ('w', OLD.id, NULL); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_worktag_ins AFTER INSERT ON works_worktag "
        f"BEGIN {_LOG} ('t', NEW.work_id, NEW.tag_id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_worktag_del AFTER DELETE ON works_worktag "
        f"BEGIN {_LOG} ('t', OLD.work_id, OLD.tag_id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_worktag_upd AFTER UPDATE ON works_worktag "
        f"BEGIN {_LOG} ('t', OLD.work_id, OLD.tag_id); {_LOG} ('t', NEW.work_id, NEW.tag_id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_tag_merge AFTER UPDATE OF merger_id ON tags_tag "
        f"WHEN OLD.merger_id IS NOT NEW.merger_id BEGIN {_LOG} ('g', NULL, NEW.id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_tag_del AFTER DELETE ON tags_tag BEGIN {_LOG} ('g', NULL, OLD.id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_tagparent_ins AFTER INSERT ON tags_tagparent "
        f"BEGIN {_LOG} ('g', NULL, NEW.child_id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_tagparent_del AFTER DELETE ON tags_tagparent "
        f"BEGIN {_LOG} ('g', NULL, OLD.child_id); END",
        f"CREATE TRIGGER IF NOT EXISTS search_log_tagparent_upd AFTER UPDATE ON tags_tagparent "
        f"BEGIN {_LOG} ('g', NULL, NEW.child_id); END",
        # Full text: one FTS5 row per posted chapter, rowid from work and chapter id (WORK_SHIFT).
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {FTS_HASHSIZE})",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_chapter_ins AFTER INSERT ON works_chapter BEGIN {fts_insert} END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_chapter_upd AFTER UPDATE OF body, posted, work_id ON works_chapter "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = {_fts_rowid('OLD')}; {fts_insert} END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_chapter_del AFTER DELETE ON works_chapter "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = {_fts_rowid('OLD')}; END",
    ]


def _run_in_transaction(connection, statements: list[str]) -> None:
    """Execute ``statements`` in order on ``connection``, all in one transaction."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild_sqlite_text_index(connection) -> None:
    """Drop the SQLite text index and index every posted chapter again, in one transaction.

    For a schema change of the index (see the search migrations) or a new
    ``fanarchive_plaintext``. Dropping and refilling is much faster than
    deleting rows (FTS5 re-reads each deleted row's text to unindex it).
    The fill merges no segments as it goes (``automerge`` 0) and ends with
    one ``optimize``: each segment is written once and merged once, into a
    single segment, instead of being re-merged level after level (3.5 GB
    of text: 177 s → 103 s).
    """
    statements = [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in _FTS_TRIGGERS),
        f"DROP TABLE IF EXISTS {FTS_TABLE}",
        *_sqlite_forward(),
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', 0)",
        FTS_FILL,
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', {FTS_AUTOMERGE})",
    ]
    _run_in_transaction(connection, statements)


def rebuild_postgres_text_index(connection, workers: int | None = None, *, text_extension: bool = True) -> None:
    """Build PostgreSQL's tsvector table again from every posted chapter, then swap it in.

    For a change of text configuration (such as the extension newly
    installed: it is created here when the server has it), or to measure
    the build. The new table is filled and indexed beside the old one,
    which keeps answering searches; chapter writes wait (a SHARE lock on
    the chapters) so none is missed, and one transaction drops the old
    table and renames the new.
    Its indexes are built once over the filled table: a GIN index built in
    one pass sorts each word's entries once, where rows added one by one
    each update it.

    Splitting chapters into words is the bound (PostgreSQL's own parser
    reads 11–15 MB/s on one core, the :data:`PG_TEXT_EXTENSION` about 50),
    so ``workers`` connections (default: this machine's cores) each parse a
    share of the chapters, then build one of the indexes. Inside a caller's
    transaction, whose rows other connections cannot see, it all runs on
    ``connection``, one statement after the other.

    ``text_extension=False`` drops the extension first, in the same
    transaction as the SQL functions replacing it, and builds as a server
    without it does: the baseline ``bench_fulltext`` compares with (the
    next ``migrate`` creates it again while the server has its files).
    """
    build = f"{PG_FTS_TABLE}_build"
    parts = max(1, workers or os.cpu_count() or 1)
    fills = [
        f"INSERT INTO {build} (chapter_id, work_id, document, repeats) "
        "SELECT chapter.id, chapter.work_id, document, search_repeated_words(document) "
        "FROM works_chapter AS chapter, search_text_document(chapter.body) AS document "
        f"WHERE chapter.posted AND chapter.id % {parts} = {part}"
        for part in range(parts)
    ]
    indexes = [f"CREATE UNIQUE INDEX {build}_pkey ON {build} (chapter_id)",
               *(_pg_fts_index(build, suffix) for suffix in _PG_FTS_INDEXES)]  # fmt: skip
    swap = [
        f"DROP TABLE {PG_FTS_TABLE}",
        f"ALTER TABLE {build} RENAME TO {PG_FTS_TABLE}",
        f"ALTER TABLE {PG_FTS_TABLE} ADD CONSTRAINT {PG_FTS_TABLE}_pkey PRIMARY KEY USING INDEX {build}_pkey",
        *(f"ALTER INDEX {build}_{suffix} RENAME TO {PG_FTS_TABLE}_{suffix}" for suffix in _PG_FTS_INDEXES),
    ]
    if text_extension:
        enable_text_extension(connection)
    create = [*([] if text_extension else [f"DROP EXTENSION IF EXISTS {PG_TEXT_EXTENSION}"]),
              _PG_DOCUMENT_FUNCTIONS,
              f"DROP TABLE IF EXISTS {build}",
              f"CREATE TABLE {build} (LIKE {PG_FTS_TABLE} INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION)"]  # fmt: skip
    lock = "LOCK TABLE works_chapter IN SHARE MODE"
    if connection.in_atomic_block or parts == 1:
        _run_in_transaction(connection, [*create, lock, *fills, _BUILD_MEMORY, *indexes, *swap])
        return
    _run_in_transaction(connection, create)
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(lock)
            _run_on_connections(connection.alias, [[fill] for fill in fills])
            _run_on_connections(connection.alias, [[_BUILD_MEMORY, index] for index in indexes], workers=parts)
            for statement in swap:
                cursor.execute(statement)
    finally:
        _run_in_transaction(connection, [f"DROP TABLE IF EXISTS {build}"])


#: Sort memory for one index build, for its transaction only: enough that a
#: GIN build does not spill to disk in small runs.
_BUILD_MEMORY = "SET LOCAL maintenance_work_mem = '256MB'"


def _run_on_connections(alias: str, batches: list[list[str]], workers: int | None = None) -> None:
    """Run each batch of statements in a transaction of its own, on up to ``workers`` extra connections.

    Each thread opens its own connection to database ``alias`` (Django keeps
    one per thread) and closes it when its batch is done. The first error
    is raised once every batch has finished.
    """

    def run(statements: list[str]) -> None:
        try:
            _run_in_transaction(connections[alias], statements)
        finally:
            connections[alias].close()

    with ThreadPoolExecutor(max_workers=workers or len(batches)) as pool:
        for result in [pool.submit(run, batch) for batch in batches]:
            result.result()


def rebuild_text_index(connection, workers: int | None = None) -> None:
    """Build the full-text index of ``connection``'s database again from the stored chapters.

    ``workers``: PostgreSQL connections to build with (see
    :func:`rebuild_postgres_text_index`); SQLite builds on one.
    """
    if connection.vendor == "postgresql":
        rebuild_postgres_text_index(connection, workers)
    else:
        rebuild_sqlite_text_index(connection)


#: PostgreSQL: set (transaction-locally) while new works' links go in unlogged.
_PG_NEW_WORKS_SETTING = "fanarchive.new_works_links"
_PG_FUNCTIONS = {
    "search_log_work": """
        BEGIN
          IF TG_OP = 'DELETE' THEN
            INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('w', OLD.id, NULL); RETURN OLD;
          END IF;
          INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('w', NEW.id, NULL); RETURN NEW;
        END""",
    "search_log_worktag": f"""
        BEGIN
          IF TG_OP = 'INSERT' AND current_setting('{_PG_NEW_WORKS_SETTING}', true) = 'on' THEN
            RETURN NEW;
          END IF;
          IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('t', OLD.work_id, OLD.tag_id);
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('t', NEW.work_id, NEW.tag_id);
            RETURN NEW;
          END IF;
          RETURN OLD;
        END""",
    "search_log_wrangling": """
        BEGIN
          IF TG_OP = 'DELETE' THEN
            INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('g', NULL, NULL); RETURN OLD;
          END IF;
          INSERT INTO search_indexchange(kind, work_id, tag_id) VALUES ('g', NULL, NULL); RETURN NEW;
        END""",
    "search_chapter_document": f"""
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM {PG_FTS_TABLE} WHERE chapter_id = OLD.id;
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.posted THEN
            INSERT INTO {PG_FTS_TABLE} (chapter_id, work_id, document, repeats)
            SELECT NEW.id, NEW.work_id, document, search_repeated_words(document)
            FROM search_text_document(NEW.body) AS document;
          END IF;
          RETURN NULL;
        END""",
}


def repeats_sql(document: str, levels: str) -> str:
    """SQL for the ``repeats`` vector of tsvector ``document``: ``level|lexeme`` for each of ``levels`` reached."""
    return (
        "SELECT coalesce(array_to_tsvector(array_agg(level || '|' || word.lexeme)), ''::tsvector) "
        f"FROM unnest({document}) AS word, unnest({levels}) AS level "
        "WHERE coalesce(array_length(word.positions, 1), 0) >= level"
    )


_SQL_REPEATS = repeats_sql("document", f"ARRAY{list(REPEAT_LEVELS)}")

#: The two functions chapter documents come from, in C from
#: :data:`PG_TEXT_EXTENSION` when the database has it, else in SQL:
#:
#: * ``search_text_document(body)``, the tsvector stored for a chapter's
#:   HTML (else PostgreSQL's own, with the queries' configuration). For
#:   prose the two are equal; they differ where the default parser keeps
#:   more than words: "well-known" is also the lexeme 'well-known' (which
#:   shifts the positions after it), "3.14" and "1e5" are numbers. Search
#:   queries hold only words, so there the extension's documents match
#:   better: "well known" finds "well-known", as on SQLite.
#: * ``search_repeated_words(document)``, its ``repeats`` vector:
#:   ``level|lexeme`` for each of :data:`REPEAT_LEVELS` its positions reach.
#:
#: Re-run after creating the extension (``install`` and the rebuild do).
_PG_DOCUMENT_FUNCTIONS = f"""DO $outer$ BEGIN
  IF to_regprocedure('fanarchive_tsvector(text)') IS NOT NULL
     AND to_regprocedure('fanarchive_repeats(tsvector, integer[])') IS NOT NULL THEN
    CREATE OR REPLACE FUNCTION search_text_document(body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT fanarchive_tsvector(body) $$;
    CREATE OR REPLACE FUNCTION search_repeated_words(document tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT fanarchive_repeats(document, ARRAY{list(REPEAT_LEVELS)}) $$;
  ELSE
    CREATE OR REPLACE FUNCTION search_text_document(body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_tsvector('{FTS_CONFIG}'::regconfig, body) $$;
    CREATE OR REPLACE FUNCTION search_repeated_words(document tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ {_SQL_REPEATS} $$;
  END IF;
END $outer$"""


def enable_text_extension(connection) -> bool:
    """Create :data:`PG_TEXT_EXTENSION` in ``connection``'s database if the server has its files.

    Returns whether it is there now. It is marked trusted, so the database
    owner may create it; a role that may not, or a database not in UTF-8
    (the extension reads UTF-8), keeps PostgreSQL's own ``to_tsvector``.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version IS NOT NULL, current_setting('server_encoding') = 'UTF8' "
            "FROM pg_available_extensions WHERE name = %s",
            [PG_TEXT_EXTENSION],
        )
        row = cursor.fetchone()
    if row is None or row[0]:
        return row is not None
    if not row[1]:
        logger.warning("%s needs a UTF-8 database; documents keep to_tsvector", PG_TEXT_EXTENSION)
        return False
    try:
        _run_in_transaction(connection, [f"CREATE EXTENSION IF NOT EXISTS {PG_TEXT_EXTENSION}"])
    except DatabaseError as error:
        logger.warning("could not create %s (%s); documents keep to_tsvector", PG_TEXT_EXTENSION, error)
        return False
    return True


#: The tsvector table's indexes besides its primary key: name suffix → definition.
_PG_FTS_INDEXES = {"gin": "USING GIN (document)", "repeats": "USING GIN (repeats)", "work": "(work_id)"}


def _pg_fts_index(table: str, suffix: str) -> str:
    """The statement creating index ``suffix`` of :data:`_PG_FTS_INDEXES` on ``table`` (or its build copy)."""
    return f"CREATE INDEX IF NOT EXISTS {table}_{suffix} ON {table} {_PG_FTS_INDEXES[suffix]}"


def _pg_forward() -> list[str]:
    functions = [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        for name, body in _PG_FUNCTIONS.items()
    ]
    each_row = "FOR EACH ROW EXECUTE FUNCTION"
    return [
        _PG_DOCUMENT_FUNCTIONS,
        *functions,
        f"CREATE OR REPLACE TRIGGER search_log_work_insdel AFTER INSERT OR DELETE ON works_work {each_row} search_log_work()",
        f"CREATE OR REPLACE TRIGGER search_log_work_upd AFTER UPDATE ON works_work FOR EACH ROW "
        f"WHEN ({_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION search_log_work()",
        f"CREATE OR REPLACE TRIGGER search_log_worktag AFTER INSERT OR UPDATE OR DELETE ON works_worktag "
        f"{each_row} search_log_worktag()",
        "CREATE OR REPLACE TRIGGER search_log_tag_merge AFTER UPDATE OF merger_id ON tags_tag FOR EACH ROW "
        "WHEN (OLD.merger_id IS DISTINCT FROM NEW.merger_id) EXECUTE FUNCTION search_log_wrangling()",
        f"CREATE OR REPLACE TRIGGER search_log_tag_del AFTER DELETE ON tags_tag {each_row} search_log_wrangling()",
        f"CREATE OR REPLACE TRIGGER search_log_tagparent AFTER INSERT OR UPDATE OR DELETE ON tags_tagparent "
        f"{each_row} search_log_wrangling()",
        # Full text: one stored tsvector per posted chapter (ranking and phrase
        # checks read it instead of re-parsing the body).
        f"CREATE TABLE IF NOT EXISTS {PG_FTS_TABLE} (chapter_id bigint PRIMARY KEY, work_id bigint NOT NULL, "
        "document tsvector NOT NULL)",
        # (search/0004 fills it for chapters indexed before it existed)
        f"ALTER TABLE {PG_FTS_TABLE} ADD COLUMN IF NOT EXISTS repeats tsvector NOT NULL DEFAULT ''",
        *(_pg_fts_index(PG_FTS_TABLE, suffix) for suffix in _PG_FTS_INDEXES),
        f"CREATE OR REPLACE TRIGGER search_fts_chapter AFTER INSERT OR UPDATE OF body, posted, work_id OR DELETE "
        f"ON works_chapter {each_row} search_chapter_document()",
    ]


@contextmanager
def links_of_new_works_unlogged(connection) -> Iterator[None]:
    """Within the caller's transaction, write no change-log row per tag link added.

    Only for bulk loads of *new* works in that same transaction: each new
    work's own log row makes every process read all its links
    (``FilterIndex._reread_works``), so one row per link (about 20 a work)
    is redundant, and on SQLite it costs half the time of generating works.
    On SQLite the trigger is dropped and re-created: schema changes are
    transactional, so no other connection ever sees it gone, and a rollback
    restores it. On PostgreSQL a transaction-local setting tells the
    trigger to skip inserts, which locks nothing.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("links_of_new_works_unlogged needs a transaction")
    if connection.vendor == "postgresql":
        off, on = [f"SET LOCAL {_PG_NEW_WORKS_SETTING} = 'on'"], [f"SET LOCAL {_PG_NEW_WORKS_SETTING} = 'off'"]
    else:
        off = ["DROP TRIGGER IF EXISTS search_log_worktag_ins"]
        on = [create for create in _sqlite_forward() if " search_log_worktag_ins " in create]
    with connection.cursor() as cursor:
        for statement in off:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in on:
            cursor.execute(statement)


def forward_sql(vendor: str) -> list[str]:
    """Statements creating the triggers and full-text structures for ``vendor``.

    Idempotent, because SQLite drops a table's triggers whenever a migration
    rebuilds the table (most ALTERs do): the search app re-runs these after
    every ``migrate`` (see apps.py).
    """
    if vendor == "sqlite":
        return _sqlite_forward()
    if vendor == "postgresql":
        return _pg_forward()
    return []


def install(connection) -> None:
    """(Re)create the triggers and full-text structures on ``connection``, if its tables exist."""
    if "search_indexchange" not in connection.introspection.table_names():
        return
    if connection.vendor == "postgresql":
        enable_text_extension(connection)
    with connection.cursor() as cursor:
        for statement in forward_sql(connection.vendor):
            cursor.execute(statement)


def reverse_sql(vendor: str) -> list[str]:
    """Statements undoing :func:`forward_sql`."""
    if vendor == "sqlite":
        names = [s.split()[5] for s in _sqlite_forward() if s.startswith("CREATE TRIGGER")]
        return [f"DROP TRIGGER IF EXISTS {n}" for n in names] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
    if vendor == "postgresql":
        triggers = {
            "search_log_work_insdel": "works_work", "search_log_work_upd": "works_work",
            "search_log_worktag": "works_worktag", "search_log_tag_merge": "tags_tag",
            "search_log_tag_del": "tags_tag", "search_log_tagparent": "tags_tagparent",
            "search_fts_chapter": "works_chapter",
        }  # fmt: skip
        return (
            [f"DROP TRIGGER IF EXISTS {t} ON {table}" for t, table in triggers.items()]
            + [f"DROP FUNCTION IF EXISTS {name}()" for name in _PG_FUNCTIONS]
            + ["DROP FUNCTION IF EXISTS search_repeated_words(tsvector)", "DROP FUNCTION IF EXISTS search_text_document(text)"]
            + [f"DROP TABLE IF EXISTS {PG_FTS_TABLE}"]
        )
    return []

