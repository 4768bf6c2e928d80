"""Shared set-up and timing for the scale benchmarks (filters, full text, HTTP).

Each benchmark gets its own archive: SQLite in a data directory under
/tmp (kept between runs, so the corpus is generated once), or a PostgreSQL
database ``fanarchive_bench_<N>`` on postgres://postgres@127.0.0.1:5432
(created if missing; ``--drop`` removes it afterwards).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def archive_env(db: str, name: str) -> dict[str, str]:
    """Environment variables selecting the benchmark archive ``name`` on ``db``."""
    env = {"FANARCHIVE_DATA_DIR": f"/tmp/fanarchive-bench/{db}-{name}", "SECRET_KEY": "bench-only"}
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/fanarchive_bench_{name}"
    return env


def ensure_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"fanarchive_bench_{name}"]).fetchone():
            conn.execute(f'CREATE DATABASE "fanarchive_bench_{name}"')


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "fanarchive_bench_{name}" WITH (FORCE)')


def setup(db: str, name: str) -> None:
    """Point this process at the benchmark archive, set Django up and migrate."""
    env = archive_env(db, name)
    Path(env["FANARCHIVE_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    if db == "postgres":
        ensure_pg_database(name)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def generate(works: int, paragraphs: int = 3) -> float:
    """Fill the archive with ``works`` synthetic works (only the missing ones); seconds taken."""
    from tqdm import tqdm

    from fanarchive.works.synthetic import generate as synthetic_generate

    started = time.perf_counter()
    with tqdm(total=works, desc="generate", unit="work") as bar:
        synthetic_generate(works, seed=1, batch_size=5000, progress=bar.update, paragraphs=paragraphs)
    return time.perf_counter() - started


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would on a live archive."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timing:
    """Latencies (seconds) of repeated calls, with the figures the reports print."""

    def __init__(self, samples: list[float]) -> None:
        self.samples = sorted(samples)

    @classmethod
    def of(cls, call: Callable[[], object], repeat: int, warmup: int = 2) -> Timing:
        for _ in range(warmup):
            call()
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        return cls(samples)

    def percentile(self, p: float) -> float:
        index = min(len(self.samples) - 1, max(0, round(p / 100 * len(self.samples)) - 1))
        return self.samples[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def per_second(self) -> float:
        """Single-process throughput: calls per second back to back."""
        return len(self.samples) / sum(self.samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f}"
