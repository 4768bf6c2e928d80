"""Redis: buffered hit/kudos counters and the listing cache (skipped without Redis on 127.0.0.1:6379)."""

import uuid

import pytest
import redis
from django.contrib.auth.models import AnonymousUser

from fanarchive.search import counters, scale
from fanarchive.search.filters import FilterCriteria
from fanarchive.works.models import Work
from fanarchive.works.tests.factories import create_work

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(monkeypatch):
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"fanarchive-test-{uuid.uuid4().hex}:counters"
    monkeypatch.setattr(counters, "PREFIX", prefix)
    monkeypatch.setattr(counters, "redis_client", lambda: connection)
    yield connection
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)


def test_counts_wait_in_redis_until_flushed(client):
    work = create_work("counted", hits=5)
    for _ in range(3):
        counters.count("hits", work.pk)
    counters.count("kudos", work.pk, 2)
    work.refresh_from_db()
    assert (work.hits, work.kudos_count) == (5, 0)
    assert counters.flush() == {"hits": 1, "kudos": 1}
    work.refresh_from_db()
    assert (work.hits, work.kudos_count) == (8, 2)
    assert counters.flush() == {"hits": 0, "kudos": 0}  # nothing applied twice
    work.refresh_from_db()
    assert work.hits == 8


def test_hits_wait_in_the_process_and_reach_redis_in_one_batch(client, monkeypatch):
    work = create_work("counted")
    counters.flush_local()  # starts the hit interval now
    monkeypatch.setattr(counters, "LOCAL_FLUSH_SECONDS", 3600)
    for _ in range(3):
        counters.count("hits", work.pk)
    assert client.hget(f"{counters.PREFIX}:hits", str(work.pk)) is None
    counters.count("kudos", work.pk)  # kudos go at once, taking the waiting hits along
    assert int(client.hget(f"{counters.PREFIX}:hits", str(work.pk))) == 3
    assert int(client.hget(f"{counters.PREFIX}:kudos", str(work.pk))) == 1


def test_the_cache_backend_reuses_one_client(redis_cache):
    from django.core.cache import cache

    cache.set("reused", 1)
    cache.incr("reused")
    assert cache.get_many(["reused", "absent"]) == {"reused": 2}
    assert len(cache._cache._clients) == 1


def test_a_flush_that_died_is_finished_by_the_next(client):
    work = create_work("counted")
    counters.count("hits", work.pk, 4)
    counters.flush_local()  # into the Redis hash now, not after the hit interval
    client.rename(f"{counters.PREFIX}:hits", f"{counters.PREFIX}:hits:flushing:dead")
    counters.count("hits", work.pk, 1)
    counters.flush()
    work.refresh_from_db()
    assert work.hits == 5
    assert not list(client.scan_iter(f"{counters.PREFIX}*"))


@pytest.fixture
def redis_cache(client, settings):
    prefix = f"fanarchive-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "fanarchive.cache.SharedClientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    }
    settings.FANARCHIVE_FILTER_ENGINE = "orm"
    yield
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_listing_pages_are_cached_until_something_changes(redis_cache, monkeypatch):
    low = create_work("low", kudos_count=1)
    create_work("high", kudos_count=9)
    criteria = FilterCriteria(sort="kudos")
    assert [w.title for w in scale.find_works(criteria, AnonymousUser()).works] == ["high", "low"]

    computed = []
    real = scale._find_works
    monkeypatch.setattr(scale, "_find_works", lambda *args: computed.append(1) or real(*args))
    Work.objects.filter(pk=low.pk).update(summary="rewritten")  # not a filtered column: same generation
    assert [w.summary for w in scale.find_works(criteria, AnonymousUser()).works] == ["", "rewritten"]
    assert computed == []  # served from the cache (blurbs are loaded fresh)

    Work.objects.filter(pk=low.pk).update(kudos_count=50)
    assert [w.title for w in scale.find_works(criteria, AnonymousUser()).works] == ["low", "high"]
    assert computed == [1]
