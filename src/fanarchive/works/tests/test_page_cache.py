"""The anonymous page cache: cached copies, invalidation by edits, who never gets one, hits."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from fanarchive.search import counters
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Work
from fanarchive.works import page_cache
from fanarchive.works.page_cache import CACHE_HEADER
from fanarchive.works.tests.factories import create_tag, create_work

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status
    return response


def test_anonymous_readers_get_the_cached_copy_of_a_work_page(client):
    work = create_work("First title", chapters=["<p>Opening words.</p>"])
    assert get(client, work.get_absolute_url())[CACHE_HEADER] == "miss"
    Work.objects.filter(pk=work.pk).update(title="Changed behind the cache's back")
    again = get(client, work.get_absolute_url())
    assert again[CACHE_HEADER] == "hit"
    assert "First title" in again.content.decode() and "behind the cache" not in again.content.decode()
    assert "script-src 'self'" in again["Content-Security-Policy"]  # middleware still applies


def test_saving_a_work_its_chapter_or_its_tags_shows_at_once(client):
    work = create_work("Before", chapters=["<p>Old words.</p>"])
    url = work.get_absolute_url()
    get(client, url)
    work.title = "After"
    work.save()
    assert "After" in get(client, url).content.decode()

    chapter = Chapter.objects.get(work=work)
    chapter.body = "<p>New words.</p>"
    chapter.save()
    assert "New words." in get(client, url).content.decode()

    work.tags.add(create_tag("Found Family", TagType.FREEFORM))
    html = get(client, url).content.decode()
    assert "Found Family" in html and get(client, url)[CACHE_HEADER] == "hit"


def test_a_work_restricted_or_deleted_behind_the_cache_is_not_served_to_anonymous_readers(client):
    restricted, deleted = create_work("Soon restricted"), create_work("Soon deleted")
    get(client, restricted.get_absolute_url())
    get(client, deleted.get_absolute_url())
    Work.objects.filter(pk=restricted.pk).update(restricted=True)  # no signal: the visibility check catches it
    get(client, restricted.get_absolute_url(), status=404)
    Work.objects.filter(pk=deleted.pk).delete()
    get(client, deleted.get_absolute_url(), status=404)


def test_restricted_works_are_never_cached_for_anonymous_readers(client):
    work = create_work("Members only", restricted=True)
    member = Client()
    member.force_login(User.objects.create_user("member", password="pw-for-tests-only"))
    assert "Members only" in get(member, work.get_absolute_url()).content.decode()
    response = get(client, work.get_absolute_url(), status=404)
    assert "Members only" not in response.content.decode()


def test_signed_in_readers_never_get_a_cached_page():
    work = create_work("Shared")
    member = Client()
    member.force_login(User.objects.create_user("member", password="pw-for-tests-only"))
    for url in (work.get_absolute_url(), "/works/", "/"):
        Client().get(url)  # fills the anonymous cache
        Work.objects.filter(pk=work.pk).update(title=f"Renamed for {url}")
        response = get(member, url)
        assert CACHE_HEADER not in response
        assert f"Renamed for {url}" in response.content.decode()


def test_cached_work_pages_still_count_hits(client, monkeypatch):
    monkeypatch.setattr(counters, "redis_client", lambda: None)  # write straight to the row
    work = create_work("Popular")
    responses = [get(client, work.get_absolute_url()) for _ in range(3)]
    assert [r[CACHE_HEADER] for r in responses] == ["miss", "hit", "hit"]
    work.refresh_from_db()
    assert work.hits == 3


def test_listings_are_cached_until_a_work_is_posted_or_edited(client):
    first = create_work("First story")
    assert get(client, "/works/")[CACHE_HEADER] == "miss"
    assert get(client, "/works/")[CACHE_HEADER] == "hit"
    create_work("Second story")
    assert "Second story" in get(client, "/works/").content.decode()
    first.title = "First story, revised"
    first.save()
    assert "First story, revised" in get(client, "/works/").content.decode()


def test_each_skin_gets_its_own_cached_copy(client):
    work = create_work("Skinned")
    assert 'class="skin-auto"' in get(client, work.get_absolute_url()).content.decode()
    client.cookies["skin"] = "dark"
    assert 'class="skin-dark"' in get(client, work.get_absolute_url()).content.decode()


def test_without_redis_hits_wait_in_the_process_until_flushed(client, monkeypatch):
    monkeypatch.setattr(counters, "redis_client", lambda: None)
    monkeypatch.setattr(counters, "LOCAL_FLUSH_SECONDS", 3600)
    work = create_work("Read a lot", hits=5)
    counters.flush_local()  # starts the flush interval now
    for _ in range(3):
        get(client, work.get_absolute_url())
    work.refresh_from_db()
    assert work.hits == 5
    counters.flush_local()
    work.refresh_from_db()
    assert work.hits == 8
    counters.count("kudos", work.pk)  # kudos are written at once
    work.refresh_from_db()
    assert work.kudos_count == 1


def signed_in_client() -> Client:
    member = Client()
    member.force_login(User.objects.create_user("reader", password="pw-for-tests-only"))
    return member


def test_listings_reuse_cached_blurbs_until_a_shown_column_changes():
    tag = create_tag("Slow Burn", TagType.FREEFORM)
    work = create_work("Blurbed", tags=[tag], hits=1)
    member = signed_in_client()  # never page-cached, so only blurbs can come from the cache
    assert "Slow Burn" in get(member, "/works/").content.decode()
    type(tag).objects.filter(pk=tag.pk).update(name="Renamed Quietly")  # no signal
    assert "Slow Burn" in get(member, "/works/").content.decode()  # the cached blurb
    Work.objects.filter(pk=work.pk).update(hits=99)  # a counter flush: a shown column
    html = get(member, "/works/").content.decode()
    assert "Renamed Quietly" in html and '<dd class="hits">99</dd>' in html


def test_saving_a_work_or_renaming_a_tag_retires_its_blurb():
    tag = create_tag("Hurt/Comfort", TagType.FREEFORM)
    work = create_work("Old blurb title", tags=[tag])
    member = signed_in_client()
    get(member, "/works/")
    work.title = "New blurb title"
    work.save()
    assert "New blurb title" in get(member, "/works/").content.decode()
    tag.name = "Hurt and Comfort"
    tag.save()
    assert "Hurt and Comfort" in get(member, "/works/").content.decode()


def test_search_snippets_are_never_served_from_the_blurb_cache():
    work = create_work("Lantern tale", chapters=["<p>A lantern in the dark.</p>"])
    member = signed_in_client()
    first = get(member, "/works/?q=lantern").content.decode()
    second = get(member, "/works/").content.decode()
    assert "<mark>" in first and f'id="work_{work.pk}"' in second and "search-snippet" not in second


def test_pages_are_shared_through_redis_and_edits_still_show_at_once(client, settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"fanarchive-test-{uuid.uuid4().hex}",
        }
    }
    work = create_work("Shared copy")
    for url in (work.get_absolute_url(), "/works/"):
        assert get(client, url)[CACHE_HEADER] == "miss"
        assert get(client, url)[CACHE_HEADER] == "hit"
    work.title = "Shared copy, edited"
    work.save()
    for url in (work.get_absolute_url(), "/works/"):
        assert "Shared copy, edited" in get(client, url).content.decode()
    cache.clear()


def test_an_evicted_version_key_never_brings_back_a_page_from_before_an_edit(client):
    work = create_work("Before eviction")
    get(client, work.get_absolute_url())
    work.title = "After eviction"
    work.save()
    cache.delete(f"page-version:work:{work.pk}")  # what a full per-process cache may do
    assert "After eviction" in get(client, work.get_absolute_url()).content.decode()


def test_pages_too_large_for_the_cache_are_rendered_every_time(client, monkeypatch):
    work = create_work("Long read", chapters=["<p>" + "word " * 2000 + "</p>"])
    monkeypatch.setattr(page_cache, "PAGE_MAX_BYTES", 5000)
    assert [get(client, work.get_absolute_url())[CACHE_HEADER] for _ in range(2)] == ["miss", "miss"]
