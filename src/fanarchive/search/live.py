"""Each process's copy of the filter index, kept within a second of the database.

Before answering a query (at most every ``poll_seconds``) a process:

1. reloads the index file if a rebuild replaced it;
2. reads the change-log rows it has not applied yet and replays them, which
   re-reads just the works they name.

On PostgreSQL, ids are handed out before commit, so a row may become visible
after a higher id was already read. Each poll therefore re-reads a short
look-back window of ids and skips those already applied. SQLite commits one
writer at a time, in id order, so it needs no look-back.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from pathlib import Path

from django.conf import settings
from django.db import connection

from fanarchive.config import data_dir
from fanarchive.search.index import FilterIndex
from fanarchive.search.models import IndexChange
from fanarchive.search.snapshot import SnapshotError
from fanarchive.tags.models import note_wrangling_changed

log = logging.getLogger(__name__)

#: Change-log rows replayed per database round trip.
BATCH = 5000
#: A process idle for longer than this reloads the file rather than trust the
#: log (``filter_index prune`` keeps at least twice this much log).
MAX_IDLE_SECONDS = 6 * 3600


def index_path() -> Path:
    """Where the index file lives (``FANARCHIVE_INDEX_PATH`` overrides the data dir)."""
    configured = getattr(settings, "FANARCHIVE_INDEX_PATH", None) or os.environ.get("FANARCHIVE_INDEX_PATH")
    return Path(configured) if configured else data_dir() / "filter-index.bin"


def poll_seconds() -> float:
    """Longest a process answers from its copy before reading the change log again."""
    configured = getattr(settings, "FANARCHIVE_INDEX_POLL_SECONDS", None)
    return float(configured if configured is not None else os.environ.get("FANARCHIVE_INDEX_POLL_SECONDS", "0.5"))


def lookback_seconds() -> float:
    """How far back each poll re-reads the log (0 where commits are in id order)."""
    return 0.0 if connection.vendor == "sqlite" else 10.0


class LiveIndex:
    """A filter index loaded from ``path`` and refreshed from the change log."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.index: FilterIndex | None = None
        self._file_stamp: tuple[int, int] | None = None
        self._polled_at = 0.0
        self._floor = 0  # every change with id <= floor is applied
        self._applied: set[int] = set()  # applied ids above the floor
        self._seen: deque[tuple[float, int]] = deque()  # (poll time, highest id seen)

    def current(self) -> FilterIndex | None:
        """The index, refreshed if the last poll is older than :func:`poll_seconds`.

        None when no index file has been built (callers fall back to the ORM).
        Call with :attr:`lock` held.
        """
        now = time.monotonic()
        if self.index is not None and now - self._polled_at < poll_seconds():
            return self.index
        idle = now - self._polled_at > MAX_IDLE_SECONDS
        self._polled_at = now
        self._reload_if_replaced(force=idle)
        if self.index is not None:
            self.catch_up()
        return self.index

    def _reload_if_replaced(self, force: bool) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self.index = None
            self._file_stamp = None
            return
        stamp = (stat.st_mtime_ns, stat.st_ino)
        if stamp == self._file_stamp and not force:
            return
        try:
            self.index = FilterIndex.load(self.path)
        except (SnapshotError, OSError, ValueError, KeyError) as error:
            log.error("filter index %s unusable (%s); filtering with the ORM", self.path, error)
            self.index = None
            return
        self._file_stamp = stamp
        self._floor = self.index.replay_from
        self._applied.clear()
        self._seen.clear()

    def catch_up(self) -> None:
        """Replay every change-log row not applied yet."""
        index = self.index
        wrangled = False
        highest = self._floor
        while True:
            rows = list(
                IndexChange.objects.filter(id__gt=highest)
                .order_by("id")
                .values_list("id", "kind", "work_id", "tag_id")[:BATCH]
            )
            fresh = [row for row in rows if row[0] not in self._applied]
            wrangled |= index.apply(fresh)
            self._applied.update(row[0] for row in fresh)
            if rows:
                highest = rows[-1][0]
            if len(rows) < BATCH:
                break
        if wrangled:
            # Expire cached tag scopes: with a per-process cache the writer's
            # bump never reached ours, and a writer without REDIS_URL (a
            # command run by hand) would not reach the shared one either.
            note_wrangling_changed()
        self._advance_floor(highest)

    def _advance_floor(self, highest: int) -> None:
        """Raise the floor to the highest id seen at least ``lookback`` ago."""
        now = time.monotonic()
        self._seen.append((now, highest))
        cutoff = now - lookback_seconds()
        while self._seen and self._seen[0][0] <= cutoff:
            self._floor = max(self._floor, self._seen.popleft()[1])
        self._applied = {change_id for change_id in self._applied if change_id > self._floor}


_live: LiveIndex | None = None
_live_lock = threading.Lock()


def live_index() -> LiveIndex:
    """This process's LiveIndex (created on first use)."""
    global _live
    with _live_lock:
        if _live is None or _live.path != index_path():
            _live = LiveIndex(index_path())
        return _live
