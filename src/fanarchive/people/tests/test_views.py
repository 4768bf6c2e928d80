"""Creator pages."""

import re

import pytest

from fanarchive.works.tests.factories import create_work

pytestmark = pytest.mark.django_db


def test_creator_page_lists_only_their_visible_works(client):
    create_work("Mine", creators=["Ink Well"])
    create_work("Also Mine", creators=["Ink Well", "Co Author"])
    create_work("Secret", creators=["Ink Well"], restricted=True)
    create_work("Not Mine", creators=["Someone Else"])
    response = client.get("/people/ink%20well/")
    assert response.status_code == 200
    html = response.content.decode()
    assert set(re.findall(r'<h3 class="blurb-title"><a href="[^"]+">([^<]+)</a>', html)) == {"Mine", "Also Mine"}
    assert "2 Works by Ink Well" in html
    assert 'href="/people/Co%20Author/"' in html


def test_unknown_creator_is_404(client):
    assert client.get("/people/nobody/").status_code == 404


def test_creator_pages_page_through_many_works(client):
    for number in range(23):
        create_work(f"Piece {number}", creators=["Prolific"])
    html = client.get("/people/Prolific/?page=2").content.decode()
    assert "21 – 23 of 23 Works" in html
    assert 'rel="prev" href="?page=1"' in html
