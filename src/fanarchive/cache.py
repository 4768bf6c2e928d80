"""Django's Redis cache, with one client object per connection pool.

Django's backend builds a new ``redis.Redis`` for every cache call, and
building one fills a table of some 170 response callbacks: for a page served
from the cache that cost about as much as the network round trips. A client
is safe to share between threads and takes its connections from the pool
(which starts afresh in a forked worker), so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _PooledClients(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` reusing its clients (see the module docstring)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _PooledClients
