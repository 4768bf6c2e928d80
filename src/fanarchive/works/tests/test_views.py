"""Reader pages for works: home, the works filter, work and chapter pages, series, skins."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from fanarchive.search import counters
from fanarchive.tags.models import TagType
from fanarchive.works.tests.factories import create_series, create_tag, create_work

pytestmark = pytest.mark.django_db


def blurb_titles(html: str) -> list[str]:
    """Titles of the blurbs on a page, in order."""
    return re.findall(r'<h3 class="blurb-title"><a href="[^"]+">([^<]+)</a>', html)


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# --- home and works index ----------------------------------------------------------


def test_home_lists_recent_works_and_fandom_counts(client):
    fandom = create_tag("Good Omens (TV)", TagType.FANDOM)
    create_work("Older", tags=[fandom])
    create_work("Newer", tags=[fandom])
    create_work("Hidden draft", tags=[fandom], posted=False)
    html = page(client, "/")
    assert blurb_titles(html) == ["Newer", "Older"]
    assert re.search(r"Good Omens \(TV\)</a> <span class=\"count\">\(2\)</span>", html)
    assert 'role="search"' in html


def test_works_index_filters_from_the_query_string_and_keeps_the_state(client):
    create_work("Fluffy", tags=["Fluff"])
    create_work("Sad", tags=["Angst"])
    html = page(client, "/works/?tag=Fluff&rating=Explicit&rating=Bogus")
    assert blurb_titles(html) == []
    html = page(client, "/works/?tag=Fluff&sort=title")
    assert blurb_titles(html) == ["Fluffy"]
    assert 'id="filters"' in html and 'id="work-list"' in html
    assert '<input type="checkbox" name="tag" value="Fluff" checked>' in html
    assert '<option value="title" selected>' in html


def test_language_choice_is_kept_and_only_it_is_selected(client):
    html = page(client, "/works/?language=fr")
    assert '<option value="fr" selected>French</option>' in html
    assert html.count(" selected>") == 2  # the language and the default sort
    assert '<option value="de">German</option>' in page(client, "/works/")


def test_works_index_shows_notices_for_ignored_values_not_errors(client):
    create_work("Anything")
    html = page(client, "/works/?page=abc&words_from=many&sort=sideways&updated_since=soon&tag=Missing Tag")
    assert "is not a page number" in html and "is not a word count" in html
    assert "No tag named “Missing Tag”" in html
    assert blurb_titles(html) == []


def test_works_index_pages_through_results_with_a_count_heading(client):
    for number in range(21):
        create_work(f"Work {number:02d}")
    first = page(client, "/works/?sort=title")
    assert "1 – 20 of 21 Works" in first and len(blurb_titles(first)) == 20
    assert 'rel="next" href="?sort=title&amp;page=2"' in first
    second = page(client, "/works/?sort=title&page=2")
    assert "21 – 21 of 21 Works" in second and blurb_titles(second) == ["Work 20"]
    assert 'aria-current="page" href="?sort=title&amp;page=2"' in second
    beyond = page(client, "/works/?sort=title&page=9")
    assert blurb_titles(beyond) == [] and "past the end" in beyond
    assert 'href="?sort=title&amp;page=2">Go to the last page' in beyond
    assert len(blurb_titles(page(client, "/works/?sort=title&page=0"))) == 20


def test_blurb_shows_required_tags_as_text_and_stats(client):
    create_work(
        "Badged",
        tags=["Explicit", "Major Character Death", "F/M", create_tag("Fandom X", TagType.FANDOM)],
        chapters=["<p>one two</p>", "<p>three</p>"],
        kudos_count=1234,
        complete=False,
    )
    html = page(client, "/works/")
    assert "Rating: Explicit" in html and "Warnings: Major Character Death" in html
    assert "Category: F/M" in html and "Status: Work in Progress" in html
    assert '<dd class="chapters">2/?</dd>' in html
    assert '<dd class="kudos">1,234</dd>' in html
    assert 'href="/tags/Fandom%20X/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/works/?tag=a%00b", "/works/?fandom=%00&exclude=%01", "/works/?words_from=99999999999999999999999",
        "/works/?page=99999999999999999999999", "/works/?page=%C2%B2&words_to=%C2%B2",
        "/tags/a%00b/", "/tags/autocomplete?term=a%00", "/people/a%00b/",
    ],
)  # fmt: skip
def test_hostile_parameters_never_cause_a_server_error(client, url):
    create_work("Anything", tags=["Fluff"])
    assert client.get(url).status_code in {200, 404}


def test_search_alias_redirects_to_the_works_filter(client):
    response = client.get("/search/?q=tea&tag=Fluff")
    assert response.status_code == 302 and response["Location"] == "/works/?q=tea&tag=Fluff"


# --- work and chapter pages ---------------------------------------------------------


@pytest.fixture
def three_chapters():
    return create_work(
        "Long Story",
        chapters=["<p>First words.</p>", "<p>Middle words.</p>", "<p>Last words.</p>"],
        notes="<p>Beginning note.</p>",
        end_notes="<p>Closing note.</p>",
        disclaimer="<p>Not mine.</p>",
        summary="<p>What happens.</p>",
    )


def test_multi_chapter_work_opens_on_its_first_chapter(client, three_chapters):
    html = page(client, three_chapters.get_absolute_url())
    assert "First words." in html and "Middle words." not in html
    assert 'id="chapter-next" rel="next" href="/works/%d/chapters/2/"' % three_chapters.pk in html
    assert 'id="chapter-prev"' not in html
    assert "Beginning note." in html and "Closing note." not in html
    assert '<aside class="disclaimer"' in html and "Not mine." in html


def test_opening_a_work_counts_a_hit_but_changing_chapter_does_not(client, three_chapters, monkeypatch):
    monkeypatch.setattr(counters, "redis_client", lambda: None)  # write straight to the row
    page(client, three_chapters.get_absolute_url())
    page(client, reverse("works:chapter", args=[three_chapters.pk, 2]))
    three_chapters.refresh_from_db()
    assert three_chapters.hits == 1


def test_middle_and_last_chapters_link_both_ways_and_end_notes_come_last(client, three_chapters):
    middle = page(client, reverse("works:chapter", args=[three_chapters.pk, 2]))
    assert "Middle words." in middle and "First words." not in middle
    assert 'id="chapter-prev"' in middle and 'id="chapter-next"' in middle
    assert "Beginning note." not in middle and "Closing note." not in middle
    last = page(client, reverse("works:chapter", args=[three_chapters.pk, 3]))
    assert 'id="chapter-next"' not in last
    assert last.index("Last words.") < last.index("Closing note.")


def test_full_work_view_shows_every_chapter_in_order(client, three_chapters):
    html = page(client, three_chapters.get_absolute_url() + "?view_full_work=1")
    in_order = ("Beginning note.", "First words.", "Middle words.", "Last words.", "Closing note.")
    positions = [html.index(text) for text in in_order]
    assert positions == sorted(positions)
    assert 'id="workskin"' in html


def test_chapter_menu_jumps_without_javascript(client, three_chapters):
    url = reverse("works:chapter_jump", args=[three_chapters.pk])
    assert client.get(url + "?chapter=3")["Location"] == reverse("works:chapter", args=[three_chapters.pk, 3])
    assert client.get(url + "?chapter=99")["Location"] == three_chapters.get_absolute_url()
    assert client.get(url + "?chapter=%C2%B2")["Location"] == three_chapters.get_absolute_url()


def test_single_chapter_work_has_no_chapter_navigation(client):
    work = create_work("Oneshot", chapters=["<p>All of it.</p>"])
    html = page(client, work.get_absolute_url())
    assert "All of it." in html and 'id="chapter-index"' not in html and 'id="chapter-next"' not in html


def test_work_meta_lists_tags_by_type_and_series(client):
    fandom = create_tag("Fandom Y", TagType.FANDOM)
    character = create_tag("Some Body", TagType.CHARACTER)
    first = create_work("Part One", tags=[fandom, character, "Teen And Up Audiences"])
    second = create_work("Part Two", tags=[fandom])
    series = create_series("The Saga", [first, second])
    html = page(client, second.get_absolute_url())
    assert re.search(r'<dt class="fandom">Fandom:</dt>\s*<dd class="fandom">', html)
    assert "Part 2 of" in html and series.get_absolute_url() in html
    assert "← Previous Work" in html and first.get_absolute_url() in html
    assert "Some Body" in page(client, first.get_absolute_url())


def test_hostile_html_in_a_chapter_is_neutralised(client):
    work = create_work(
        "<script>alert('title')</script>",
        chapters=['<p onclick="steal()">Hi<script>alert(1)</script><img src="javascript:x" alt="pic"></p>'],
    )
    html = page(client, work.get_absolute_url())
    assert "<script>alert" not in html and "onclick" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "<p>Hi" in html


def test_chapter_fields_stored_unsanitised_are_cleaned_when_shown(client):
    work = create_work("Noted", chapters=["<p>Body.</p>"])
    work.chapters.update(notes='<b>bold</b><script>alert("n")</script>')
    html = page(client, work.get_absolute_url())
    assert "<b>bold</b>" in html and 'alert("n")' not in html


def test_missing_works_and_chapters_are_404(client, three_chapters):
    page(client, "/works/999999/", status=404)
    page(client, reverse("works:chapter", args=[three_chapters.pk, 9]), status=404)
    page(client, "/series/999999/", status=404)


def test_drafts_and_restricted_works_are_hidden_from_anonymous_readers(client):
    draft = create_work("Draft", chapters=["<p>a</p>", "<p>b</p>"], posted=False)
    locked = create_work("Locked", chapters=["<p>a</p>", "<p>b</p>"], restricted=True)
    create_work("Open")
    for work in (draft, locked):
        page(client, work.get_absolute_url(), status=404)
        page(client, reverse("works:chapter", args=[work.pk, 2]), status=404)
    assert blurb_titles(page(client, "/works/")) == ["Open"]
    assert blurb_titles(page(client, "/")) == ["Open"]
    client.force_login(User.objects.create_user("member", password="x-secret-123"))
    assert "Locked" in page(client, locked.get_absolute_url())
    page(client, draft.get_absolute_url(), status=404)
    assert set(blurb_titles(page(client, "/works/"))) == {"Open", "Locked"}


def test_series_page_orders_its_visible_works(client):
    first, second, hidden = create_work("First"), create_work("Second"), create_work("Hidden", restricted=True)
    series = create_series("Saga", [second, hidden, first])
    assert blurb_titles(page(client, series.get_absolute_url())) == ["Second", "First"]
    only_hidden = create_series("Secret Saga", [hidden])
    page(client, only_hidden.get_absolute_url(), status=404)


# --- skins --------------------------------------------------------------------------------


def test_skin_toggle_sets_a_cookie_and_the_html_class():
    client = Client()
    assert '<html lang="en" class="skin-auto">' in page(client, "/")
    response = client.post("/skin/", {"skin": "dark", "next": "/works/"})
    assert response.status_code == 302 and response["Location"] == "/works/"
    assert response.cookies["skin"].value == "dark"
    assert '<html lang="en" class="skin-dark">' in page(client, "/")
    client.post("/skin/", {"skin": "auto", "next": "https://evil.example/"})
    assert '<html lang="en" class="skin-auto">' in page(client, "/")


def test_skin_toggle_refuses_cross_site_posts_and_pages_carry_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in page(client, "/")
    forged = client.post("/skin/", {"skin": "dark"}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and "skin" not in forged.cookies
    cross_site = client.post("/skin/", {"skin": "dark"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    same_site = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    own = client.post("/skin/", {"skin": "dark"}, headers=same_site)
    assert own.status_code == 302 and own.cookies["skin"].value == "dark"


def test_unsafe_redirect_after_skin_change_goes_home(client):
    response = client.post("/skin/", {"skin": "light", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_carry_the_strict_csp_and_no_inline_script(client):
    work = create_work("Any")
    for url in ("/", "/works/", work.get_absolute_url(), "/fandoms/"):
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "style=" not in html and "<style" not in html, url
