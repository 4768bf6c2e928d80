"""Hit and kudos counters that do not write the work row on every page view.

With ``REDIS_URL`` set, counts go to a Redis hash (``HINCRBY``: no database
write, no row lock) and ``fanarchive manage flush_counters`` moves the
totals into ``Work.hits`` / ``Work.kudos_count`` every few seconds. Kudos go
at once; hits wait in the process for up to :data:`LOCAL_FLUSH_SECONDS` and
go in one pipelined batch, so a cached work page costs no Redis round trip
for its hit. The flush first renames the hash, so increments arriving
during a flush go to a fresh hash, and a flush that dies half-way leaves its
renamed hash to be picked up by the next one: no count is lost or applied
twice (unless the process dies between the database commit and the delete,
which re-applies at most one batch). Without Redis, kudos update the row at
once and hits, after the same wait, go to the database in one transaction
(:func:`flush_local`; also at exit), so a busy work page does not write the
row, and log an index change, per view.

The flush writes through ``QuerySet.update``, which the index change-log
triggers record, so kudos and hits sort orders follow within a poll.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import uuid
from collections import Counter
from functools import cache

from django.db import transaction
from django.db.models import F

from fanarchive.works.models import Work

#: Counter name -> Work column.
COUNTERS = {"hits": "hits", "kudos": "kudos_count"}
PREFIX = os.environ.get("CACHE_PREFIX", "fanarchive") + ":counters"
#: Seconds hits wait in the process before they go out in one batch (to Redis, or to the database).
LOCAL_FLUSH_SECONDS = float(os.environ.get("FANARCHIVE_HIT_FLUSH_SECONDS", "1"))

_local_lock = threading.Lock()
_local_pending: Counter[tuple[str, int]] = Counter()  # (counter, work id) -> amount not passed on yet
_local_flushed_at = 0.0


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
    if counter not in COUNTERS:
        raise KeyError(counter)
    with _local_lock:
        _local_pending[counter, work_id] += amount
        due = counter != "hits" or time.monotonic() - _local_flushed_at >= LOCAL_FLUSH_SECONDS
    if due:
        flush_local()


@atexit.register
def flush_local() -> None:
    """Pass on the counts this process holds: to Redis when configured, else to the database."""
    global _local_flushed_at
    with _local_lock:
        pending = dict(_local_pending)
        _local_pending.clear()
        _local_flushed_at = time.monotonic()
    if not pending:
        return
    client = redis_client()
    if client is None:
        _add({(COUNTERS[counter], work_id): amount for (counter, work_id), amount in pending.items()})
        return
    with client.pipeline(transaction=False) as pipe:
        for (counter, work_id), amount in pending.items():
            pipe.hincrby(f"{PREFIX}:{counter}", str(work_id), amount)
        pipe.execute()


def _add(amounts: dict[tuple[str, int], int]) -> None:
    """Add ``{(column, work id): amount}`` to the work rows in one transaction."""
    with transaction.atomic():
        for (column, work_id), amount in sorted(amounts.items()):
            Work.objects.filter(pk=work_id).update(**{column: F(column) + amount})


def flush(client=None) -> dict[str, int]:
    """Apply buffered counts to the database; returns works updated per counter."""
    from redis.exceptions import ResponseError

    client = client or redis_client()
    if client is None:
        return {}
    flush_local()  # this process's own waiting hits first
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
    amounts = {(column, int(work_id)): int(amount) for work_id, amount in client.hgetall(key).items()}
    _add(amounts)
    client.delete(key)
    return len(amounts)
