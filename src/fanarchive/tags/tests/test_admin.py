"""Wrangling through the admin refreshes filters at once and refuses loops."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from fanarchive.search.engine import find_works
from fanarchive.search.filters import FilterCriteria
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.tests.factories import create_tag, create_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangler(client):
    client.force_login(User.objects.create_superuser("wrangler", password="x-secret-123"))
    return client


def change_tag(client, tag: Tag, parents: list[Tag] = (), **fields):
    """POST the admin change form for ``tag`` with ``fields`` and new parent rows."""
    data = {"name": tag.name, "type": tag.type, "merger": "", **fields}
    prefix = "parent_links"
    data.update({
        f"{prefix}-TOTAL_FORMS": str(len(parents)), f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for number, parent in enumerate(parents):
        data[f"{prefix}-{number}-parent"] = str(parent.pk)
        data[f"{prefix}-{number}-child"] = str(tag.pk)
    return client.post(f"/admin/tags/tag/{tag.pk}/change/", data)


def titles(tag_name: str) -> set[str]:
    return {w.title for w in find_works(FilterCriteria(tags=[tag_name]), AnonymousUser()).works}


def test_merging_in_the_admin_refreshes_filter_scopes(wrangler):
    john = create_tag("John Watson", TagType.CHARACTER)
    loose = create_tag("Johnny W", TagType.CHARACTER, canonical=False)
    create_work("Loose", tags=[loose])
    assert titles("John Watson") == set()
    response = change_tag(wrangler, loose, merger=str(john.pk))
    assert response.status_code == 302
    loose.refresh_from_db()
    assert loose.merger == john
    assert titles("John Watson") == {"Loose"}


def test_adding_a_parent_in_the_admin_refreshes_scopes_and_loops_are_refused(wrangler):
    fandom = create_tag("Sherlock (TV)", TagType.FANDOM)
    john = create_tag("John Watson", TagType.CHARACTER)
    create_work("John story", tags=[john])
    assert titles("Sherlock (TV)") == set()
    assert change_tag(wrangler, john, parents=[fandom], canonical="on").status_code == 302
    assert titles("Sherlock (TV)") == {"John story"}
    response = change_tag(wrangler, fandom, parents=[john], canonical="on")
    assert response.status_code == 200 and "would make a loop" in response.content.decode()
    assert not fandom.parents.exists()


def test_a_synonym_of_an_uncanonical_tag_is_refused(wrangler):
    target = create_tag("Not Canonical", TagType.FREEFORM, canonical=False)
    tag = create_tag("Other", TagType.FREEFORM, canonical=False)
    response = change_tag(wrangler, tag, merger=str(target.pk))
    assert response.status_code == 200
    tag.refresh_from_db()
    assert tag.merger is None


def test_make_canonical_action(wrangler):
    tag = create_tag("Slow Burn", TagType.FREEFORM, canonical=False)
    response = wrangler.post("/admin/tags/tag/", {"action": "make_canonical", "_selected_action": [tag.pk]})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.canonical


def test_admin_lists_and_searches_tags(wrangler):
    create_tag("Hurt/Comfort", TagType.FREEFORM)
    html = wrangler.get("/admin/tags/tag/", {"q": "hurt", "type__exact": "freeform"}).content.decode()
    assert "Hurt/Comfort" in html
