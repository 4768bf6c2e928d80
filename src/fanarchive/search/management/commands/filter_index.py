"""``fanarchive index rebuild|rebuild-text|check|status|prune``: manage the search indexes.

* ``rebuild`` reads every work and tag link (with a progress bar) and
  replaces the filter index file atomically; running app servers pick it up.
* ``rebuild-text`` builds the database's full-text index of posted chapters
  again (after a change of text configuration; triggers keep it current
  otherwise). Searches go on meanwhile; chapter writes wait for it.
* ``check`` runs random filters through the index and the ORM and reports
  any difference (exit status 1 if there is one).
* ``status`` prints the file's size, counts and change-log position.
* ``prune`` deletes change-log rows the file already reflects and that are
  older than the retention (default: a day).
"""

from __future__ import annotations

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fanarchive.search.check import compare_random_filters
from fanarchive.search.index import FilterIndex
from fanarchive.search.live import MAX_IDLE_SECONDS, index_path, lookback_seconds
from fanarchive.search.models import IndexChange
from fanarchive.search.snapshot import SnapshotError
from fanarchive.search.sql import PG_TEXT_EXTENSION, enable_text_extension, rebuild_text_index


class Command(BaseCommand):
    help = "Rebuild, check, inspect or prune the filter index; rebuild the full-text index."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild", "rebuild-text", "check", "status", "prune"])
        parser.add_argument("--samples", type=int, default=200, help="check: random filters to compare")
        parser.add_argument("--seed", type=int, default=None, help="check: random seed (default: random)")
        parser.add_argument(
            "--workers", type=int, default=None,
            help="rebuild-text on PostgreSQL: connections parsing at once (default: this machine's cores)",
        )  # fmt: skip
        parser.add_argument(
            "--keep-hours", type=float, default=2 * MAX_IDLE_SECONDS / 3600,
            help="prune: keep change-log rows younger than this",
        )  # fmt: skip

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _load(self) -> FilterIndex:
        path = index_path()
        if not path.exists():
            raise CommandError(f"No filter index at {path}; run `fanarchive index rebuild` first.")
        try:
            return FilterIndex.load(path)
        except SnapshotError as error:
            raise CommandError(str(error)) from error

    def _rebuild(self, verbosity: int = 1, **options) -> None:
        started = time.perf_counter()
        index = FilterIndex.build(progress=verbosity > 0, lookback_seconds=lookback_seconds())
        built = time.perf_counter()
        path = index_path()
        index.save(path)
        stats = index.stats()
        self.stdout.write(
            f"Indexed {stats['works']:,} works and {stats['links']:,} tag links ({stats['tags']:,} tags) "
            f"in {built - started:.1f}s; wrote {path} ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - built:.1f}s."
        )

    def _rebuild_text(self, workers: int | None, **options) -> None:
        started = time.perf_counter()
        rebuild_text_index(connection, workers)
        parser = ""
        if connection.vendor == "postgresql":
            parser = (f" with the {PG_TEXT_EXTENSION} extension" if enable_text_extension(connection)
                      else f" with PostgreSQL's to_tsvector ({PG_TEXT_EXTENSION} is not installed; see docs/scale.md)")  # fmt: skip
        self.stdout.write(
            f"Rebuilt the full-text index of posted chapters{parser} in {time.perf_counter() - started:.1f}s."
        )

    def _check(self, samples: int, seed: int | None, **options) -> None:
        seed = random.randrange(1 << 30) if seed is None else seed
        self._load()  # fail clearly if there is no usable file
        report = compare_random_filters(samples, random.Random(seed))
        for line in report.differences[:20]:
            self.stdout.write(self.style.ERROR(line))
        summary = f"{report.compared} random filters (seed {seed}): {len(report.differences)} differ from the ORM."
        if report.differences:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _status(self, **options) -> None:
        path = index_path()
        index = self._load()
        pending = IndexChange.objects.filter(id__gt=index.change_id).count()
        for key, value in index.stats().items():
            self.stdout.write(f"{key:>14}: {value:,}")
        self.stdout.write(f"{'file':>14}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
        self.stdout.write(f"{'log pending':>14}: {pending:,} changes newer than the file")

    def _prune(self, keep_hours: float, **options) -> None:
        cutoff = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=keep_hours)
        index = self._load()
        deleted, _ = IndexChange.objects.filter(id__lte=index.replay_from, logged_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted:,} change-log rows.")
