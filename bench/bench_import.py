"""Import and generation speed: prints works per second.

1. Writes ``--works`` plain-text works (labelled front matter, a few
   chapters of generated prose) to a temporary folder and imports them with
   the real importer (reader at full depth, one transaction per work).
2. Times :func:`fanarchive.works.synthetic.generate` for ``--generate`` works.

Runs against a throwaway SQLite archive in a temporary data directory, or
against ``DATABASE_URL`` when set (use an empty database: it is migrated and
written to).

Usage: .venv/bin/python bench/bench_import.py [--works 200] [--generate 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "the night was cold and she walked along the river with her hands in her pockets "
    "listening to the city breathe while he waited by the bridge saying nothing at all"
).split()


def write_corpus(folder: Path, count: int, rng: random.Random) -> int:
    """Write ``count`` text works; return their total size in bytes."""
    total = 0
    for index in range(count):
        chapters = rng.randint(1, 4)
        lines = [
            f"Title: Bench Work {index}",
            f"Author: bencher{index % 50}",
            "Rating: Teen And Up Audiences",
            "Fandom: Sherlock (TV)",
            "Characters: John Watson, Sherlock Holmes",
            "Tags: Angst, Fluff",
            "",
        ]
        for chapter in range(1, chapters + 1):
            lines += [f"Chapter {chapter}", ""]
            for _ in range(rng.randint(8, 25)):
                sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40)))
                dialogue = rng.random() < 0.3
                lines += [f'"{sentence.capitalize()}," John said.' if dialogue else sentence.capitalize() + ".", ""]
        path = folder / f"work_{index:05d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        total += path.stat().st_size
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=200, help="text works to write and import")
    parser.add_argument("--generate", type=int, default=10_000, help="synthetic works to generate (0: skip)")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fanarchive-bench-") as data_dir:
        os.environ.setdefault("FANARCHIVE_DATA_DIR", data_dir)  # the SQLite archive, removed afterwards
        run(args)
    return 0


def run(args: argparse.Namespace) -> None:
    """Set Django up on the throwaway archive and print the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fanarchive.works.importer import import_path
    from fanarchive.works.synthetic import generate

    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}")

    if args.works:
        with tempfile.TemporaryDirectory() as folder:
            size = write_corpus(Path(folder), args.works, random.Random(1))
            start = time.perf_counter()
            result = import_path(folder)
            seconds = time.perf_counter() - start
        print(
            f"import: {result.imported} works ({size / 1e6:.1f} MB) in {seconds:.1f}s = "
            f"{result.imported / seconds:.1f} works/s, {len(result.failures)} failed"
        )
    if args.generate:
        start = time.perf_counter()
        made = generate(args.generate, seed=int(time.time()), batch_size=args.batch_size)
        seconds = time.perf_counter() - start
        rate = made.created / seconds
        print(
            f"generate: {made.created} works in {seconds:.1f}s = {rate:,.0f} works/s "
            f"(1M works ≈ {1e6 / rate / 60:.1f} min at this rate)"
        )
    connection.close()


if __name__ == "__main__":
    sys.exit(main())
