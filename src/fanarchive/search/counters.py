"""Hit and kudos counters that do not write the work row on every page view.

With ``REDIS_URL`` set, :func:`count` adds to a Redis hash (one ``HINCRBY``,
microseconds, no database write, no row lock) and ``fanarchive manage
flush_counters`` moves the totals into ``Work.hits`` / ``Work.kudos_count``
every few seconds. The flush first renames the hash, so increments arriving
during a flush go to a fresh hash, and a flush that dies half-way leaves its
renamed hash to be picked up by the next one: no count is lost or applied
twice (unless the process dies between the database commit and the delete,
which re-applies at most one batch). Without Redis, :func:`count` updates the
row directly.

The flush writes through ``QuerySet.update``, which the index change-log
triggers record, so kudos and hits sort orders follow within a poll.
"""

from __future__ import annotations

import os
import uuid
from functools import cache

from django.db import transaction
from django.db.models import F

from fanarchive.works.models import Work

#: Counter name -> Work column.
COUNTERS = {"hits": "hits", "kudos": "kudos_count"}
PREFIX = os.environ.get("CACHE_PREFIX", "fanarchive") + ":counters"


@cache
def redis_client():
    """A Redis client when ``REDIS_URL`` is set, else None."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url)


def count(counter: str, work_id: int, amount: int = 1) -> None:
    """Add ``amount`` to a work's ``counter`` ("hits" or "kudos")."""
    column = COUNTERS[counter]
    client = redis_client()
    if client is None:
        Work.objects.filter(pk=work_id).update(**{column: F(column) + amount})
    else:
        client.hincrby(f"{PREFIX}:{counter}", str(work_id), amount)


def flush(client=None) -> dict[str, int]:
    """Apply buffered counts to the database; returns works updated per counter."""
    from redis.exceptions import ResponseError

    client = client or redis_client()
    if client is None:
        return {}
    updated = {}
    for counter, column in COUNTERS.items():
        live = f"{PREFIX}:{counter}"
        pending = [key.decode() for key in client.scan_iter(f"{live}:flushing:*")]
        if client.exists(live):
            claimed = f"{live}:flushing:{uuid.uuid4().hex}"
            try:
                client.rename(live, claimed)
                pending.append(claimed)
            except ResponseError as error:  # another flush claimed it first
                if "no such key" not in str(error).lower():
                    raise
        updated[counter] = sum(_apply(client, key, column) for key in pending)
    return updated


def _apply(client, key: str, column: str) -> int:
    """Add one claimed hash's counts to ``column``, then delete the hash."""
    amounts = {int(work_id): int(amount) for work_id, amount in client.hgetall(key).items()}
    with transaction.atomic():
        for work_id, amount in sorted(amounts.items()):
            Work.objects.filter(pk=work_id).update(**{column: F(column) + amount})
    client.delete(key)
    return len(amounts)
