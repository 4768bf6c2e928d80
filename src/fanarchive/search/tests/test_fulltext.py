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
