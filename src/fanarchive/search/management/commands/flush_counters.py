"""``fanarchive manage flush_counters [--every SECONDS]``: move buffered hits and kudos into the database.

Run it once (from cron) or with ``--every`` as a small long-running process
beside the app servers. Does nothing when ``REDIS_URL`` is not set (counts
then go straight to the database).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from fanarchive.search.counters import flush, redis_client


class Command(BaseCommand):
    help = "Apply hit and kudos counts buffered in Redis to the works."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every SECONDS (0: once)")

    def handle(self, *args, every: float, **options) -> None:
        if redis_client() is None:
            self.stdout.write("REDIS_URL is not set: counters are written directly; nothing to flush.")
            return
        while True:
            updated = flush()
            if options["verbosity"] > 1 or not every:
                self.stdout.write(", ".join(f"{n} works' {name}" for name, n in updated.items()) + " updated.")
            if not every:
                return
            time.sleep(every)
