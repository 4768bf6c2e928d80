"""The fanarchive_text PostgreSQL extension (``search/pg_extension``): fast chapter documents.

Runs on PostgreSQL when the extension's files are installed on the server
(``make -C src/fanarchive/search/pg_extension install``); CI installs them
and sets FANARCHIVE_REQUIRE_PG_EXTENSION, so there a missing extension
fails instead of skipping.
"""

import os

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.search import fulltext, sql
from fanarchive.works.tests.factories import create_work

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL extension"),
    pytest.mark.django_db,
]


#: The fixture only checks the server, so it need not run again per example.
_EXAMPLES = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@pytest.fixture
def extension():
    """Skip (or, in CI, fail) unless the server has the extension; the test database has it created."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = %s", [sql.PG_TEXT_EXTENSION])
        row = cursor.fetchone()
    if row is None:
        if os.environ.get("FANARCHIVE_REQUIRE_PG_EXTENSION"):
            pytest.fail(f"{sql.PG_TEXT_EXTENSION} is required (FANARCHIVE_REQUIRE_PG_EXTENSION is set) but not installed")
        pytest.skip(f"{sql.PG_TEXT_EXTENSION} is not installed on this PostgreSQL server")
    assert row[0] is not None, "migrate should have created the extension in the test database"


def _vectors(text: str, *expressions: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(f'({e})::text' for e in expressions)}", [text] * len(expressions))
        return list(cursor.fetchone())


# Letters of several scripts, digits, markup and punctuation, curly quotes and dashes.
_STORY_CHARS = st.sampled_from(list("aZé9 \n<>/&#;.,!?'\"-_") + ["’", "“", "”", "—", "…", "ß", "İ", "Ω", "字", "\u00a0", "&amp;", "<p>", "</em>"])


@settings(max_examples=150, **_EXAMPLES)
@given(st.lists(_STORY_CHARS, max_size=60).map("".join) | st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80))
def test_fanarchive_tsvector_equals_postgres_own_pipeline_with_the_same_parser(extension, text):
    """The hash-grouping C function builds exactly what to_tsvector builds through the parser and dictionary."""
    fast, reference = _vectors(text, "fanarchive_tsvector(%s)", "to_tsvector('fanarchive', %s)")
    assert fast == reference


@pytest.mark.parametrize(
    "text",
    [
        "over " * 300,  # a word keeps at most 255 positions
        " ".join(f"w{n % 40}" for n in range(17000)),  # positions past 16383 all count as 16383
        "x" * 3000 + " short",  # a word too long to index takes no position
        "Ünïcödé ÜNÏCÖDÉ ünïcödé İstanbul",  # case folding beyond ASCII
    ],
    ids=["repeats", "far-positions", "long-word", "unicode-case"],
)
def test_fanarchive_tsvector_keeps_postgres_limits(extension, text):
    fast, reference = _vectors(text, "fanarchive_tsvector(%s)", "to_tsvector('fanarchive', %s)")
    assert fast == reference


# Letters, then perhaps digits ("r2", "Chapter12"), or digits alone: numbers such
# as "3.14" or "1e5" are the default parser's own tokens, where the two differ.
_LETTERS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéøßÉ"), min_size=1, max_size=8)
_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=4)
_WORD = st.one_of(_DIGITS, st.tuples(_LETTERS, _DIGITS | st.just("")).map("".join))
_GAP = st.sampled_from([" ", ", ", ". ", "! ", "? ", "; ", " \"", "\" ", "</p><p>", " <em>", "</em> ", "\n"])


@settings(max_examples=100, **_EXAMPLES)
@given(st.lists(st.tuples(_WORD, _GAP), min_size=1, max_size=40))
def test_prose_gets_the_same_vector_as_the_simple_configuration_queries_use(extension, pairs):
    """For words between ordinary punctuation and tags, documents agree with what 'simple' queries look up."""
    text = "<p>" + "".join(word + gap for word, gap in pairs) + "</p>"
    fast, simple = _vectors(text, "fanarchive_tsvector(%s)", f"to_tsvector('{sql.FTS_CONFIG}', %s)")
    assert fast == simple


@settings(max_examples=100, **_EXAMPLES)
@given(
    st.lists(st.sampled_from(["ab", "b", "c", "dé", "e9", "ffff", "g"]), max_size=60).map(" ".join),
    st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True).map(sorted),
)
def test_fanarchive_repeats_equals_the_sql_definition(extension, text, levels):
    """'level|word' for each level a word's positions reach, as the SQL fallback computes it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT fanarchive_repeats(to_tsvector('simple', %s), %s::int[])::text", [text, levels])
        (fast,) = cursor.fetchone()
        reference = sql.repeats_sql("to_tsvector('simple', %s)", "%s::int[]")
        cursor.execute(f"SELECT ({reference})::text", [text, levels])
        (reference,) = cursor.fetchone()
    assert fast == reference


def test_chapters_are_indexed_with_the_extension_and_found(extension):
    create_work("Harbour", chapters=["<p>A well-known keeper &amp; her lantern, her light.</p>"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT document::text, repeats::text FROM {sql.PG_FTS_TABLE}")
        document, repeats = cursor.fetchone()
    assert document == "'a':1 'her':5,7 'keeper':4 'known':3 'lantern':6 'light':8 'well':2"
    assert repeats == "'2|her'"
    # A hyphenated word is its parts, as in SQLite, so the phrase finds it.
    assert len(fulltext.scores(fulltext.parse('"well known keeper"'))) == 1
    assert len(fulltext.scores(fulltext.parse("lantern"))) == 1


def test_a_rebuild_without_the_extension_falls_back_to_postgres_parser(extension):
    """Rebuilt without the extension, stored and new chapters get to_tsvector's documents and SQL repeats."""
    create_work("Harbour", chapters=["<p>A well-known keeper, keeper of keepers.</p>"])
    sql.rebuild_postgres_text_index(connection, text_extension=False)
    create_work("Lighthouse", chapters=["<p>The well-known lamp, the lamp.</p>"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = %s", [sql.PG_TEXT_EXTENSION])
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT document::text, repeats::text FROM {sql.PG_FTS_TABLE} ORDER BY chapter_id")
        (first, first_repeats), (second, second_repeats) = cursor.fetchall()
    assert "'well-known'" in first and "'well-known'" in second  # the default parser's compound lexeme
    assert (first_repeats, second_repeats) == ("'2|keeper'", "'2|lamp' '2|the'")
    assert len(fulltext.scores(fulltext.parse("keeper"))) == 1


def test_a_role_that_may_not_create_the_extension_keeps_to_tsvector(extension, caplog):
    """Without the right to create it, enabling says no and logs why; the install goes on without it."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP EXTENSION {sql.PG_TEXT_EXTENSION}")
        cursor.execute("CREATE ROLE fanarchive_test_reader NOLOGIN")
        cursor.execute("GRANT ALL ON SCHEMA public TO fanarchive_test_reader")
        cursor.execute("SET LOCAL ROLE fanarchive_test_reader")  # no CREATE on the database
    try:
        assert sql.enable_text_extension(connection) is False
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert "could not create fanarchive_text" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = %s", [sql.PG_TEXT_EXTENSION])
        assert cursor.fetchone() == (0,)
    assert sql.enable_text_extension(connection) is True  # the database's owner may
