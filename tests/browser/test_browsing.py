"""A reader's path through the demo archive, in a real browser.

Open the home page, filter a fandom while excluding a freeform tag, open a
work, read the next chapter, switch skin. The demo content is loaded into the
test database exactly as `fanarchive demo` loads it.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_archive(live_server, settings):
    # As `fanarchive demo` does on a loopback address: plain-http cookies.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    call_command("load_demo")
    return live_server.url


def _fandom_with_excludable_freeform() -> tuple[Tag, Tag, set[str], set[str]]:
    """A fandom and a freeform tag on some, not all, of its works.

    Returns the two tags, the titles that must be listed and those that must not.
    """
    for fandom in Tag.objects.filter(type=TagType.FANDOM, canonical=True):
        fandom_scope = Tag.filter_scope([fandom.pk])
        works = list(Work.objects.filter(tags__in=fandom_scope).distinct().prefetch_related("tags"))
        for work in works:
            for freeform in work.freeforms:
                excluded = Tag.filter_scope([freeform.pk])
                without = {w.title for w in works if not {t.pk for t in w.tags.all()} & excluded}
                if without:
                    return fandom, freeform, without, {work.title}
    raise AssertionError("the demo content has no fandom with a freeform on only some of its works")


def test_home_filter_read_and_switch_skin(page, demo_archive):
    page.goto(demo_archive + "/")
    assert page.locator("main h1, main h2").first.is_visible()
    page.get_by_role("link", name=re.compile("works", re.I)).first.click()
    expect_url = re.compile(r"/works/")
    page.wait_for_url(expect_url)

    fandom, freeform, listed, hidden = _fandom_with_excludable_freeform()
    page.fill("#filter-fandom", fandom.name)
    page.fill("#filter-exclude", freeform.name)
    page.locator("#filters button[type=submit]").first.click()
    page.wait_for_load_state()
    titles = {t.strip() for t in page.locator("#work-list li.work.blurb .blurb-title > a").all_inner_texts()}
    assert titles == listed
    assert not titles & hidden
    assert "exclude=" in page.url and "fandom=" in page.url

    multi = Work.objects.filter(chapter_count__gte=2).order_by("pk").first()
    assert multi is not None, "the demo content has no multi-chapter work"
    page.goto(f"{demo_archive}/works/{multi.pk}/")
    assert multi.title in page.locator("main").inner_text()
    page.click("#chapter-next")
    page.wait_for_url(re.compile(rf"/works/{multi.pk}/chapters/2/"))
    assert "Chapter 2" in page.locator("#workskin").inner_text()

    page.locator("#skin-toggle button[value=dark]").click()
    page.wait_for_load_state()
    assert "dark" in (page.locator("html").get_attribute("class") or "")
    page.reload()
    assert "dark" in (page.locator("html").get_attribute("class") or "")
