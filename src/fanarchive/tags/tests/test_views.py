"""Tag pages, the fandom index and autocomplete."""

import re

import pytest
from django.urls import reverse

from fanarchive.tags.models import TagType
from fanarchive.works.tests.factories import create_tag, create_work

pytestmark = pytest.mark.django_db


def blurb_titles(html: str) -> set[str]:
    return set(re.findall(r'<h3 class="blurb-title"><a href="[^"]+">([^<]+)</a>', html))


def get_html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def wrangled():
    fandom = create_tag("Sherlock (TV)", TagType.FANDOM)
    john = create_tag("John Watson", TagType.CHARACTER, parents=[fandom])
    create_tag("Johnny", TagType.CHARACTER, merger=john)
    create_tag("Mary Morstan", TagType.CHARACTER, parents=[fandom])
    create_work("About John", tags=[john])
    create_work("About Johnny", tags=["Johnny"])
    create_work("Fandom only", tags=[fandom])
    create_work("Unrelated", tags=["Fluff"])
    return fandom


def test_canonical_tag_page_shows_relatives_and_its_scoped_works(client, wrangled):
    html = get_html(client, reverse("tags:tag", args=["John Watson"]))
    assert "<strong>Character</strong>" in html and "common tag" in html
    assert re.search(r'synonyms-heading.*Johnny', html, re.S)
    assert re.search(r'parents-heading.*<h3>Fandom</h3>.*Sherlock \(TV\)', html, re.S)
    assert blurb_titles(html) == {"About John", "About Johnny"}
    assert 'href="/works/?tag=John+Watson"' in html


def test_parent_tag_page_groups_children_by_type_and_includes_their_works(client, wrangled):
    html = get_html(client, wrangled.get_absolute_url())
    assert re.search(r'children-heading.*<h3>Character</h3>.*John Watson.*Mary Morstan', html, re.S)
    assert blurb_titles(html) == {"About John", "About Johnny", "Fandom only"}


def test_synonym_page_names_and_links_its_canonical_tag(client, wrangled):
    html = get_html(client, "/tags/johnny/")
    assert re.search(r'Johnny is a synonym of <a href="/tags/John%20Watson/">John Watson</a>', html)
    assert blurb_titles(html) == {"About John", "About Johnny"}


def test_tag_names_with_slashes_have_pages_and_unknown_tags_are_404(client):
    create_work("Pairing", tags=["F/M"])
    assert blurb_titles(get_html(client, reverse("tags:tag", args=["F/M"]))) == {"Pairing"}
    assert reverse("tags:tag", args=["F/M"]) == "/tags/F/M/"
    get_html(client, "/tags/Nothing%20Here/", status=404)


def test_autocomplete_returns_canonical_names_first_limited_and_typed(client, wrangled):
    create_tag("Johnlock", TagType.RELATIONSHIP, canonical=False)
    for number in range(20):
        create_tag(f"Jo extra {number:02d}", TagType.FREEFORM, canonical=False)
    names = client.get("/tags/autocomplete", {"term": "joh"}).json()
    assert names == ["John Watson", "Johnlock", "Johnny"]
    assert client.get("/tags/autocomplete", {"term": "JOH", "type": "relationship"}).json() == ["Johnlock"]
    assert len(client.get("/tags/autocomplete", {"term": "jo"}).json()) == 15
    assert client.get("/tags/autocomplete", {"term": "  "}).json() == []


def test_fandom_index_groups_by_media_with_letters_and_counts(client):
    tv = create_tag("TV Shows", TagType.MEDIA)
    sherlock = create_tag("Sherlock (TV)", TagType.FANDOM, parents=[tv])
    create_tag("Sherlock BBC", TagType.FANDOM, merger=sherlock)
    loose = create_tag("A Loose Fandom", TagType.FANDOM)
    create_tag("Empty Fandom", TagType.FANDOM, parents=[tv])
    create_work("one", tags=[sherlock])
    create_work("two", tags=["Sherlock BBC"])
    create_work("both", tags=[sherlock, "Sherlock BBC"])
    create_work("hidden", tags=[sherlock], restricted=True)
    create_work("loose", tags=[loose])
    html = get_html(client, "/fandoms/")
    tv_section = html[html.index(">TV Shows</h2>") : html.index(">Uncategorized Fandoms</h2>")]
    assert re.search(r'Sherlock \(TV\)</a> <span class="count">\(3\)</span>', tv_section)
    assert "Empty Fandom" not in html
    assert re.search(r'<h3 class="letter" id="[^"]+">S</h3>', tv_section)
    uncategorized = html[html.index(">Uncategorized Fandoms</h2>") :]
    assert re.search(r'A Loose Fandom</a> <span class="count">\(1\)</span>', uncategorized)


def test_unwrangled_tag_page_says_so_and_lists_only_its_own_works(client):
    create_work("Exact", tags=["coffee shop au"])
    create_work("Other", tags=["Coffee Shops"])
    html = get_html(client, "/tags/Coffee%20Shop%20AU/")
    assert "not been wrangled" in html
    assert blurb_titles(html) == {"Exact"}


def test_autocomplete_ignores_an_unknown_type(client):
    create_tag("Fluff", TagType.FREEFORM)
    assert client.get("/tags/autocomplete", {"term": "flu", "type": "nonsense"}).json() == ["Fluff"]
