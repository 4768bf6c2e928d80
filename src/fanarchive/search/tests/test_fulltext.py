"""Full-text search: words, phrases, prefixes, with tag filters, ranking and snippets.

Runs on whichever database the suite uses; run it once more with
DATABASE_URL=postgres://… to cover the PostgreSQL path.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.search import fulltext, live
from fanarchive.search.check import SIGNED_IN
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.index import FilterIndex
from fanarchive.search.scale import find_works
from fanarchive.works.models import Chapter
from fanarchive.works.tests.factories import create_work

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index", "orm"])
def engine(request, settings, tmp_path, monkeypatch):
    """Every test runs against both filter engines."""
    settings.FANARCHIVE_FILTER_ENGINE = request.param
    settings.FANARCHIVE_INDEX_PATH = str(tmp_path / "index.bin")
    settings.FANARCHIVE_INDEX_POLL_SECONDS = 0
    monkeypatch.setattr(live, "_live", None)
    return request.param


@pytest.fixture
def library(engine, tmp_path):
    works = {
        "lighthouse": create_work(
            "Lighthouse", tags=["Stargate Atlantis"],
            chapters=["<p>The keeper climbed the lighthouse stairs.</p>", "<p>A <em>storm</em> rolled in.</p>"],
        ),
        "storms": create_work(
            "Storms", tags=["Farscape"],
            chapters=["<p>Storm after storm after storm; the storm never ended.</p>"],
        ),
        "keeper": create_work(
            "Keeper", tags=["Stargate Atlantis"], chapters=["<p>The storm keeper &amp; the sea &lt;script&gt;.</p>"]
        ),
        "restricted": create_work("Hidden", restricted=True, chapters=["<p>A storm in secret.</p>"]),
    }  # fmt: skip
    if engine == "index":
        FilterIndex.build().save(tmp_path / "index.bin")
    return works


def found(q: str, user=None, **criteria) -> list[str]:
    page = find_works(FilterCriteria(q=q, **criteria), user or AnonymousUser())
    return [work.title for work in page.works]


def test_word_matches_any_chapter_and_ranks_repeats_first(library):
    results = found("storm")
    assert set(results) == {"Storms", "Lighthouse", "Keeper"}
    assert results[0] == "Storms"


def test_words_are_all_required_anywhere_in_the_work(library):
    assert set(found("storm keeper")) == {"Keeper", "Lighthouse"}  # Lighthouse: in different chapters
    assert found("storm stairs") == ["Lighthouse"]
    assert found("storm stairs sea") == []


def test_phrase_needs_the_words_in_order(library):
    assert found('"storm keeper"') == ["Keeper"]
    assert found('"keeper storm"') == []
    assert set(found('"the keeper"')) == {"Lighthouse"}


def test_prefix(library):
    assert set(found("light*")) == {"Lighthouse"}
    assert set(found("sto*")) == {"Storms", "Lighthouse", "Keeper"}


def test_text_combines_with_tag_filters(library):
    assert set(found("storm", tags=["Stargate Atlantis"])) == {"Lighthouse", "Keeper"}
    assert set(found("storm", exclude=["Farscape"])) == {"Lighthouse", "Keeper"}
    assert found("storm", tags=["Farscape"], sort="kudos") == ["Storms"]


def test_visibility_applies_to_text_results(library):
    assert "Hidden" not in found("secret")
    assert found("secret", user=SIGNED_IN) == ["Hidden"]


def test_snippets_are_escaped_and_highlighted(library):
    page = find_works(FilterCriteria(q="sea"), AnonymousUser())
    snippet = page.works[0].search_snippet
    assert "<mark>sea</mark>" in snippet
    assert "&lt;script" in snippet and "<script" not in snippet


def test_chapter_edits_and_deletes_reach_the_text_index(library):
    chapter = Chapter.objects.get(work=library["storms"])
    chapter.body = "<p>Calm seas only.</p>"
    chapter.save()
    assert "Storms" not in found("storm")
    assert found("calm") == ["Storms"]
    library["storms"].delete()
    assert found("calm") == []


def test_unposted_chapters_are_not_searched(library):
    Chapter.objects.filter(work=library["lighthouse"], position=1).update(posted=False)
    assert found("lighthouse") == []


def test_query_syntax_cannot_break_the_search(library):
    for q in ['storm" OR (', "NEAR(storm", "a:* & !b", "*", "'; DROP TABLE works_work; --"]:
        find_works(FilterCriteria(q=q), AnonymousUser())  # no error
    page = find_works(FilterCriteria(q="!!! ???"), AnonymousUser())
    assert any("no words" in notice for notice in page.notices)


def test_parse():
    query = fulltext.parse('wolf "silver moon" howl* x-men')
    assert [(t.words, t.prefix) for t in query.terms] == [
        (("wolf",), False), (("silver", "moon"), False), (("howl",), True), (("x", "men"), False),
    ]  # fmt: skip


#: Chapter bodies reused across works, so many works score exactly the same (ties).
_BODIES = [
    "<p>A lantern on the water.</p>",
    "<p>The lantern, the lantern, the lanterns burned.</p>",
    "<p>No light here at all, only the dark water.</p>",
    "<p>Lanterns and one lantern light on the long road home tonight.</p>",
]


@pytest.fixture
def ranked_library(engine, tmp_path):
    """Enough works for several pages, 1–3 chapters each, many exact ties, some hidden."""
    for i in range(70):
        chapters = [_BODIES[(i + k) % len(_BODIES)] for k in range(1 + i % 3)]
        fandom = ["Stargate Atlantis"] if i % 2 else ["Farscape"]
        create_work(f"Ranked {i}", tags=fandom, chapters=chapters, restricted=i % 11 == 0)
    if engine == "index":
        FilterIndex.build().save(tmp_path / "index.bin")


def _pages(q: str, **criteria) -> list[tuple[int, list[int]]]:
    """(total, ids) of the first four result pages, anonymous reader."""
    results = []
    for number in range(1, 5):
        page = find_works(FilterCriteria(q=q, page=number, **criteria), AnonymousUser())
        results.append((page.total, [work.pk for work in page.works]))
    return results


@pytest.mark.parametrize("q", ["lantern", "lant*", '"the lantern"'])
@pytest.mark.parametrize("filters", [{}, {"tags": ["Stargate Atlantis"]}])
def test_index_ranked_pages_match_scoring_every_match(ranked_library, monkeypatch, q, filters):
    """FTS5's own ranking (walked in small batches, or a small set scored) gives the pages and totals of scoring all."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the text index ranks by itself on SQLite only")
    text = fulltext.parse(q)
    assert fulltext.ranks_in_index(text)
    relevance = fulltext.scores(text)
    assert len(set(relevance.values())) < len(relevance) / 2  # the corpus really has ties
    with monkeypatch.context() as patched:
        patched.setattr(fulltext, "ranks_in_index", lambda query: False)
        general = _pages(q, **filters)
    assert general[0][0] > 20 and general[0][1]  # more than one page
    monkeypatch.setattr(fulltext, "_BATCH", 3)
    monkeypatch.setattr(fulltext, "SMALL_SET", 0)
    assert _pages(q, **filters) == general  # walking FTS5's ranked chapters
    monkeypatch.setattr(fulltext, "SMALL_SET", 10_000)
    assert _pages(q, **filters) == general  # scoring the allowed works directly
