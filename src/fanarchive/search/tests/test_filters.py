"""Reading filter requests from query strings, and writing them back."""

import datetime

from django.http import QueryDict

from fanarchive.search.filters import FilterCriteria


def parse(query: str) -> FilterCriteria:
    return FilterCriteria.from_params(QueryDict(query))


def test_tags_come_repeated_or_comma_separated_without_duplicates():
    criteria = parse("tag=Fluff,%20Angst&tag=fluff&tag=&exclude=Death")
    assert criteria.tags == ["Fluff", "Angst"]
    assert criteria.exclude == ["Death"]
    assert criteria.notices == []


def test_checkboxes_accept_known_names_in_any_case_and_report_others():
    criteria = parse("rating=explicit&rating=Nope&warning=Underage&category=F/M&category=Gen")
    assert criteria.ratings == ["Explicit"]
    assert criteria.warnings == ["Underage"]
    assert criteria.categories == ["F/M", "Gen"]
    assert any("Nope" in notice for notice in criteria.notices)


def test_numbers_dates_language_and_sort_are_read():
    criteria = parse("words_from=1,000&words_to=5000&updated_since=2024-02-29&language=fr&sort=kudos&complete=1&page=3")
    assert (criteria.words_from, criteria.words_to) == (1000, 5000)
    assert criteria.updated_since == datetime.date(2024, 2, 29)
    assert criteria.language == "fr"
    assert criteria.sort == "kudos"
    assert criteria.complete is True
    assert criteria.page == 3
    assert criteria.notices == []


def test_invalid_values_are_dropped_with_a_notice_each():
    criteria = parse("words_from=lots&updated_since=yesterday&language=xx-nope&sort=random&page=abc")
    assert criteria == FilterCriteria()
    assert len(criteria.notices) == 5


def test_page_zero_means_page_one_and_reversed_word_range_is_swapped():
    criteria = parse("page=0&words_from=900&words_to=100")
    assert criteria.page == 1
    assert (criteria.words_from, criteria.words_to) == (100, 900)
    assert len(criteria.notices) == 2


def test_querystring_round_trips_and_applies_changes():
    original = parse("tag=A%26B&tag=C&exclude=D&fandom=E&rating=Mature&complete=on&words_to=10&q=tea&sort=title")
    again = parse(original.querystring()[1:])
    assert again == original
    assert parse(original.querystring(page=4)[1:]).page == 4
    assert "A%26B" in original.querystring()


def test_defaults_make_an_empty_querystring_and_an_unfiltered_request():
    criteria = parse("sort=updated&page=1")
    assert criteria.querystring() == ""
    assert not criteria.is_filtered
    assert parse("complete=1").is_filtered
