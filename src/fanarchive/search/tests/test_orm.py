"""The ORM works filter: wrangling semantics, filter combinations, ordering, paging, visibility."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from fanarchive.search.engine import find_works
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.results import PER_PAGE, ResultPage
from fanarchive.tags.models import TagType
from fanarchive.works.tests.factories import create_tag, create_work

pytestmark = pytest.mark.django_db


def titles(user=None, **criteria) -> set[str]:
    result = find_works(FilterCriteria(**criteria), user or AnonymousUser())
    return {work.title for work in result.works}


@pytest.fixture
def buffyverse():
    """A small wrangled graph: a meta fandom over two fandoms, synonyms at each level."""
    verse = create_tag("Buffyverse", TagType.FANDOM)
    btvs = create_tag("Buffy the Vampire Slayer (TV)", TagType.FANDOM, parents=[verse])
    angel = create_tag("Angel (TV)", TagType.FANDOM, parents=[verse])
    tags = {
        "verse": verse,
        "btvs": btvs,
        "angel": angel,
        "btvs_syn": create_tag("Buffy (TV)", TagType.FANDOM, merger=btvs),
        "angel_syn": create_tag("AtS", TagType.FANDOM, merger=angel),
        "verse_syn": create_tag("Whedonverse", TagType.FANDOM, merger=verse),
        "firefly": create_tag("Firefly", TagType.FANDOM),
    }
    create_work("on canonical", tags=[btvs])
    create_work("on synonym", tags=[tags["btvs_syn"]])
    create_work("on sub-tag", tags=[angel])
    create_work("on synonym of sub-tag", tags=[tags["angel_syn"]])
    create_work("on meta tag", tags=[verse])
    create_work("on synonym of meta tag", tags=[tags["verse_syn"]])
    create_work("elsewhere", tags=[tags["firefly"]])
    create_work("unwrangled", tags=["buffy fic"])
    return tags


def test_including_a_canonical_tag_matches_its_synonyms(buffyverse):
    assert titles(tags=["Buffy the Vampire Slayer (TV)"]) == {"on canonical", "on synonym"}


def test_including_a_synonym_means_its_canonical_tag(buffyverse):
    assert titles(tags=["buffy (tv)"]) == {"on canonical", "on synonym"}


def test_including_a_meta_tag_matches_sub_tags_and_all_their_synonyms(buffyverse):
    assert titles(tags=["Buffyverse"]) == {
        "on canonical", "on synonym", "on sub-tag", "on synonym of sub-tag", "on meta tag", "on synonym of meta tag",
    }  # fmt: skip


def test_sub_tags_are_found_transitively(buffyverse):
    season = create_tag("Angel Season 5", TagType.FANDOM, parents=[buffyverse["angel"]])
    create_work("two levels down", tags=[season])
    assert "two levels down" in titles(tags=["Whedonverse"])
    assert "two levels down" in titles(tags=["Angel (TV)"])
    assert "two levels down" not in titles(tags=["Buffy (TV)"])


def test_excluding_a_tag_removes_works_on_its_synonyms_and_sub_tags(buffyverse):
    assert titles(exclude=["Buffyverse"]) == {"elsewhere", "unwrangled"}
    assert titles(exclude=["AtS"]) == {
        "on canonical", "on synonym", "on meta tag", "on synonym of meta tag", "elsewhere", "unwrangled",
    }  # fmt: skip


def test_unwrangled_tags_match_only_themselves(buffyverse):
    assert titles(tags=["Buffy Fic"]) == {"unwrangled"}
    assert "unwrangled" not in titles(tags=["Buffyverse"])


def test_new_wrangling_takes_effect_at_once(buffyverse):
    loose = create_tag("btvs tv show", TagType.FANDOM, canonical=False)
    create_work("wrangled later", tags=[loose])
    assert "wrangled later" not in titles(tags=["Buffy the Vampire Slayer (TV)"])
    loose.make_synonym_of(buffyverse["btvs"])
    assert "wrangled later" in titles(tags=["Buffy the Vampire Slayer (TV)"])


def test_wrangling_refuses_a_cycle(buffyverse):
    with pytest.raises(ValidationError):
        buffyverse["verse"].add_parent(buffyverse["angel"])
    with pytest.raises(ValidationError):
        buffyverse["angel"].add_parent(buffyverse["angel"])


def test_several_includes_must_all_match():
    create_work("both", tags=["Fluff", "Angst"])
    create_work("fluff only", tags=["Fluff"])
    assert titles(tags=["Fluff", "Angst"]) == {"both"}
    assert titles(tags=["Fluff"], exclude=["Angst"]) == {"fluff only"}


def test_unknown_included_tag_gives_no_works_and_a_notice_unknown_exclude_is_ignored():
    create_work("present", tags=["Fluff"])
    result = find_works(FilterCriteria(tags=["No Such Tag"]), AnonymousUser())
    assert result.works == [] and result.total == 0
    assert any("No Such Tag" in notice for notice in result.notices)
    assert titles(exclude=["No Such Tag"]) == {"present"}


@pytest.fixture
def rated_works():
    create_work("general gen", tags=["General Audiences", "Gen"])
    create_work("teen fm", tags=["Teen And Up Audiences", "F/M"])
    create_work("explicit mm", tags=["Explicit", "M/M"])
    create_work("explicit fm", tags=["Explicit", "F/M"])


def test_checkboxes_or_within_a_type_and_across_types(rated_works):
    assert titles(ratings=["Explicit", "General Audiences"]) == {"general gen", "explicit mm", "explicit fm"}
    assert titles(ratings=["Explicit", "Teen And Up Audiences"], categories=["F/M"]) == {"teen fm", "explicit fm"}
    assert titles(categories=["F/F"]) == set()


def test_fandoms_are_ored_and_combine_with_tags():
    sherlock = create_tag("Sherlock (TV)", TagType.FANDOM)
    doctor = create_tag("Doctor Who", TagType.FANDOM)
    create_work("sherlock fluff", tags=[sherlock, "Fluff"])
    create_work("doctor angst", tags=[doctor, "Angst"])
    create_work("untagged")
    assert titles(fandoms=["Sherlock (TV)", "Doctor Who"]) == {"sherlock fluff", "doctor angst"}
    assert titles(fandoms=["Sherlock (TV)", "Doctor Who"], tags=["Angst"]) == {"doctor angst"}
    result = find_works(FilterCriteria(fandoms=["Fluff"]), AnonymousUser())
    assert result.total == 0 and result.notices


def test_completion_words_language_and_date():
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    create_work("short complete", complete=True, word_count=500)
    create_work("long wip", word_count=50_000)
    create_work("french", language="fr", word_count=2000)
    create_work("old", updated_at=old, word_count=2000)
    assert titles(complete=True) == {"short complete"}
    assert titles(words_from=1000, words_to=10_000) == {"french", "old"}
    assert titles(language="fr") == {"french"}
    assert titles(updated_since=datetime.date(2021, 1, 1)) == {"short complete", "long wip", "french"}


def ordered_titles(sort: str) -> list[str]:
    return [work.title for work in find_works(FilterCriteria(sort=sort), AnonymousUser()).works]


def test_sorting_uses_the_column_then_newest_id():
    create_work("bravo", kudos_count=5, hits=1)
    create_work("alpha", kudos_count=5, hits=9)
    create_work("charlie", kudos_count=1, hits=5)
    assert ordered_titles("kudos") == ["alpha", "bravo", "charlie"]
    assert ordered_titles("hits") == ["alpha", "charlie", "bravo"]
    assert ordered_titles("title") == ["alpha", "bravo", "charlie"]
    assert ordered_titles("updated") == ["charlie", "alpha", "bravo"]


def test_drafts_are_never_listed_and_restricted_works_only_for_signed_in_users():
    create_work("public")
    create_work("draft", posted=False)
    create_work("members only", restricted=True)
    user = User.objects.create_user("reader", password="x-secret-123")
    assert titles() == {"public"}
    assert titles(user=user) == {"public", "members only"}


def make_works(count: int) -> None:
    for number in range(count):
        create_work(f"work {number:02d}")


def page(number: int) -> ResultPage:
    return find_works(FilterCriteria(page=number), AnonymousUser())


def test_exactly_one_full_page():
    make_works(PER_PAGE)
    result = page(1)
    assert (len(result.works), result.total, result.page_count) == (PER_PAGE, PER_PAGE, 1)
    assert result.next_page is None


def test_one_more_than_a_page_spills_onto_a_second():
    make_works(PER_PAGE + 1)
    first, second = page(1), page(2)
    assert result_numbers(first) == (1, 20) and first.next_page == 2
    assert result_numbers(second) == (21, 21) and second.previous_page == 1
    assert {w.pk for w in first.works}.isdisjoint({w.pk for w in second.works})
    beyond = page(3)
    assert beyond.works == [] and beyond.beyond_last and beyond.total == PER_PAGE + 1


def result_numbers(result: ResultPage) -> tuple[int, int]:
    return result.first_number, result.last_number


def test_pager_numbers_show_edges_and_gaps():
    result = ResultPage(works=[], total=PER_PAGE * 10, page=5)
    assert result.page_numbers() == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert ResultPage(works=[], total=0, page=1).page_numbers() == [1]
