"""The "set during" filter: works whose stored canon placement contains an episode.

A placement is the open interval (after, before) of a fandom's timeline; a
work is set during episode E when ``after_index <= index(E) < before_index``
(missing bounds unbounded, ``after == E`` being E's aftermath).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from fanarchive.reading.canon import load_canon
from fanarchive.search import orm, scale
from fanarchive.search.check import SIGNED_IN, difference
from fanarchive.search.filters import FilterCriteria, timeline_fandoms
from fanarchive.works.models import Work, WorkReading
from fanarchive.works.tests.factories import create_work

pytestmark = pytest.mark.django_db

BUFFY = "Buffy the Vampire Slayer (TV)"
ANGEL = "Angel: the Series"


def place(work: Work, fandom: str, after: str | None, before: str | None) -> Work:
    """Store a reading placing ``work`` between two episodes (codes on ``fandom``'s timeline)."""
    canon = load_canon()
    WorkReading.objects.create(
        work=work,
        result={},
        canon_fandom=fandom if after or before else "",
        after_index=canon.episode(fandom, after).index if after else None,
        before_index=canon.episode(fandom, before).index if before else None,
    )
    return work


@pytest.fixture
def placed():
    """Works with known placements, plus distractors that must never match a Buffy episode."""
    return {
        "season 2": place(create_work("Between Innocence and Becoming"), BUFFY, "2x14", "2x21"),
        "after amends": place(create_work("After Amends"), BUFFY, "3x10", None),
        "unplaced": place(create_work("No placement"), BUFFY, None, None),
        "unread": create_work("Never read"),
        # Same timeline indexes as "season 2", other fandom.
        "angel": place(create_work("Over in LA"), ANGEL, "1x01", "1x22"),
    }


def titles(criteria: FilterCriteria, user=None) -> set[str]:
    return {work.title for work in orm.find_works(criteria, user or AnonymousUser()).works}


def set_during(episode: str, fandom: str = "BtVS") -> FilterCriteria:
    return FilterCriteria.from_params({"set_in": fandom, "set_during": episode})


@pytest.mark.parametrize(
    ("episode", "expected"),
    [
        ("2x18", {"season 2"}),  # inside the interval
        ("Killed by Death", {"season 2"}),  # 2x18 by title
        ("2x14", {"season 2"}),  # the after bound: set in its aftermath
        ("2x13", set()),  # just before it
        ("2x21", set()),  # the before bound has not happened yet
        ("3x12", {"after amends"}),  # open-ended after 3x10
        ("3x10", {"after amends"}),
        ("7x22", {"after amends"}),
        ("1x01", set()),  # same index as the Angel work's bound, different fandom
    ],
)
def test_set_during_returns_exactly_the_works_placed_around_the_episode(placed, episode, expected):
    criteria = set_during(episode)
    assert criteria.notices == []
    assert titles(criteria) == {placed[key].title for key in expected}


def test_before_only_placements_match_everything_earlier(placed):
    early = place(create_work("Pre-series"), BUFFY, None, "1x01")
    assert early.title not in titles(set_during("1x01"))
    place(create_work("Before the Master rises"), BUFFY, None, "1x12")
    assert titles(set_during("1x01")) == {"Before the Master rises"}


def test_fandom_aliases_and_episode_forms_are_canonicalised():
    criteria = set_during("S02E18", fandom="btvs")
    assert (criteria.set_in, criteria.set_during) == (BUFFY, "2x18")
    assert criteria.querystring() == "?set_in=Buffy+the+Vampire+Slayer+%28TV%29&set_during=2x18"
    assert FilterCriteria.from_params(QueryDict(criteria.querystring()[1:])) == criteria
    assert criteria.is_filtered


@pytest.mark.parametrize(
    ("params", "notice", "kept_fandom"),
    [
        ({"set_in": "BtVS", "set_during": "9x99"}, "“9x99” is not an episode of Buffy the Vampire Slayer (TV)", BUFFY),
        ({"set_in": "Stargate SG-1", "set_during": "1x01"}, "There is no episode list for “Stargate SG-1”", ""),
        ({"set_during": "2x18"}, "Choose the fandom of “2x18”", ""),
    ],
)
def test_unusable_set_during_is_ignored_with_a_notice(placed, params, notice, kept_fandom):
    criteria = FilterCriteria.from_params(params)
    assert criteria.set_during == "" and criteria.set_in == kept_fandom
    assert any(text.startswith(notice) for text in criteria.notices)
    assert criteria.set_during_episode() is None and not criteria.is_filtered
    assert titles(criteria) == {work.title for work in placed.values()}


def test_a_fandom_alone_is_remembered_but_does_not_filter(placed):
    criteria = FilterCriteria.from_params({"set_in": "BtVS"})
    assert criteria.set_in == BUFFY and criteria.notices == [] and criteria.querystring() == ""
    assert len(titles(criteria)) == len(placed)


def test_set_during_combines_with_other_filters(placed):
    Work.objects.filter(pk=placed["season 2"].pk).update(complete=True)
    assert titles(FilterCriteria.from_params({"set_in": "BtVS", "set_during": "2x18", "complete": "1"})) == {
        "Between Innocence and Becoming"
    }
    assert titles(FilterCriteria.from_params({"set_in": "BtVS", "set_during": "3x12", "complete": "1"})) == set()


def test_hidden_works_stay_hidden(placed):
    Work.objects.filter(pk=placed["season 2"].pk).update(restricted=True)
    assert titles(set_during("2x18")) == set()
    assert titles(set_during("2x18"), SIGNED_IN) == {"Between Innocence and Becoming"}


# --- both engines -------------------------------------------------------------------------




@pytest.mark.parametrize("episode", ["2x18", "2x14", "3x12", "2x21", "9x99"])
@pytest.mark.parametrize("sort", ["updated", "kudos", "title"])
def test_live_index_agrees_with_the_orm(placed, live_index, episode, sort):
    criteria = FilterCriteria.from_params({"set_in": "BtVS", "set_during": episode, "sort": sort})
    for user in (AnonymousUser(), SIGNED_IN):
        assert difference(criteria, user) is None
    assert live_index.index is not None, "the index engine answered"


def test_live_index_really_filters_by_placement(placed, live_index):
    page = scale.find_works(set_during("2x18"), AnonymousUser())
    assert [work.title for work in page.works] == ["Between Innocence and Becoming"]
    assert page.total == 1
    live_index.index.public.clear()  # proves the index, not the ORM, answered
    assert scale.find_works(set_during("2x18"), AnonymousUser()).total == 0


# --- the sidebar and the timeline endpoint -------------------------------------------------------


def test_sidebar_offers_canon_fandoms_and_the_chosen_fandoms_episodes(client, placed):
    response = client.get("/works/", {"set_in": "BtVS", "set_during": "2x18"})
    soup = BeautifulSoup(response.content, "html.parser")
    fieldset = soup.select_one("fieldset.set-during")
    assert fieldset.legend.get_text() == "Set during"
    select = fieldset.select_one("select#filter-set-in")
    assert soup.select_one('label[for="filter-set-in"]') and soup.select_one('label[for="filter-set-during"]')
    assert [o["value"] for o in select.find_all("option")][1:] == timeline_fandoms()
    assert select.select_one("option[selected]")["value"] == BUFFY
    assert fieldset.select_one("input#filter-set-during")["value"] == "2x18"
    options = fieldset.select("datalist#filter-set-during-options option")
    assert [o["value"] for o in options] == [e.code for e in load_canon().timeline(BUFFY)]
    assert [a.get_text() for a in soup.select(".blurb-title a[href^='/works/']")] == ["Between Innocence and Becoming"]


def test_unknown_episode_shows_a_notice_not_an_error(client, placed):
    response = client.get("/works/", {"set_in": "BtVS", "set_during": "Season Ninety"})
    assert response.status_code == 200
    assert "“Season Ninety” is not an episode of Buffy the Vampire Slayer (TV)" in response.content.decode()


def test_timeline_endpoint_lists_a_fandoms_episodes(client):
    response = client.get("/works/timeline.json", {"fandom": "btvs"})
    assert response.status_code == 200
    data = response.json()
    assert data["fandom"] == BUFFY
    assert data["episodes"][25] == {"code": "2x14", "title": "Innocence", "season": 2}
    assert len(data["episodes"]) == len(load_canon().timeline(BUFFY))
    missing = client.get("/works/timeline.json", {"fandom": "No Such Show"})
    assert missing.status_code == 404 and "No Such Show" in missing.json()["error"]
