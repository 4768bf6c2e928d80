"""Full-text search latency inside stories, against a plain LIKE scan, same run.

Creates (once per size) ``--works`` works of about ``--words`` words each,
in 1–5 chapters of Zipf-distributed prose over a 4,000-word vocabulary,
spread over 20 fandoms; "lantern" is planted in about 10% of works and the
phrase "silver moon" in about 2%. Then times, for a whole result page:

  word          lantern
  phrase        "silver moon"
  phrase+tag    "silver moon" in one fandom
  prefix        lant*

against the straightforward query (chapter body LIKE '%…%', newest first).
With ``--rebuild``, first times rebuilding the text index from the stored
chapters (SQLite: drop the FTS5 table and index every posted chapter, in one
transaction; PostgreSQL: fill a new tsvector table on one connection per
core, build its indexes, swap it in; first without the fanarchive_text
extension, i.e. with PostgreSQL's to_tsvector, as the baseline, then with it
when the server has it), in MB of chapter text per second.

Usage: .venv/bin/python bench/bench_fulltext.py [--works 2000] [--words 5000] --db sqlite|postgres [--repeat 10]
       [--rebuild | --rebuild-only]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import time

from scale_common import Timing, analyze, drop_pg_database, max_rss_mb, ms, setup

SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dra", "el", "fin", "gor", "is", "ul", "wen", "yth"]
COMMON = "the and to of a she he was in that it her his with as had for on at but said not they be".split()


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = COMMON + sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(6000)})[:4000]
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    return words, cumulative


def chapter_html(rng: random.Random, words: list[str], cumulative: list[float], count: int, plants: list[str]) -> str:
    tokens = rng.choices(words, cum_weights=cumulative, k=count)
    for plant in plants:
        tokens.insert(rng.randrange(len(tokens)), plant)
    paragraphs = [" ".join(tokens[i : i + 80]) for i in range(0, len(tokens), 80)]
    return "".join(f"<p>{p.capitalize()}.</p>" for p in paragraphs)


def build_corpus(works: int, words_per_work: int) -> float:
    """Create the corpus unless this archive already has it; seconds taken."""
    from django.db import transaction
    from tqdm import tqdm

    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.models import Chapter, Work, WorkTag

    if Work.objects.filter(import_key__startswith="fulltext:").count() >= works:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(3)
    words, cumulative = vocabulary(rng)
    fandoms = [Tag.objects.get_or_create(key=f"fulltext fandom {i}", defaults={
        "name": f"Fulltext Fandom {i}", "type": TagType.FANDOM, "canonical": True})[0] for i in range(20)]  # fmt: skip
    batch = 200
    for start in tqdm(range(0, works, batch), desc="corpus", unit="batch"):
        with transaction.atomic():
            new = Work.objects.bulk_create([
                Work(title=f"Fulltext {i}", import_key=f"fulltext:{i}", word_count=words_per_work,
                     kudos_count=rng.randint(0, 500), complete=rng.random() < 0.6)
                for i in range(start, min(works, start + batch))
            ])  # fmt: skip
            chapters, tags = [], []
            for work in new:
                count = rng.randint(1, 5)
                plants = (["lantern"] if rng.random() < 0.1 else []) + (["silver moon"] if rng.random() < 0.02 else [])
                for position in range(1, count + 1):
                    chapter_plants = plants if position == 1 else []
                    body = chapter_html(rng, words, cumulative, words_per_work // count, chapter_plants)
                    chapters.append(Chapter(work=work, position=position, body=body, word_count=words_per_work // count))
                tags.append(WorkTag(work=work, tag=rng.choice(fandoms[:3] if rng.random() < 0.5 else fandoms)))
            Chapter.objects.bulk_create(chapters)
            WorkTag.objects.bulk_create(tags)
    return time.perf_counter() - started


def time_rebuild() -> list[str]:
    """Build the text index again from the stored chapters; the build speed, as lines to print.

    SQLite: drop the FTS5 table (timed apart: SQLite reads every page of a
    dropped table), then index every posted chapter. PostgreSQL: fill a new
    tsvector table on one connection per core, index it, swap it in; first
    without the fanarchive_text extension (the baseline: PostgreSQL's own
    parser), then with it when the server has it.
    """
    from django.db import connection

    from fanarchive.search.sql import FTS_TABLE, enable_text_extension, rebuild_postgres_text_index, rebuild_text_index

    @functools.cache
    def indexed_text() -> tuple[int, float]:
        """Chapters and MB of text indexed (SQLite: FTS5's copy; PostgreSQL: the bodies without tags)."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"SELECT count(*), sum(length(CAST(c0 AS BLOB))) FROM {FTS_TABLE}_content")
            else:
                cursor.execute("SELECT count(*), sum(octet_length(regexp_replace(body, '<[^>]*>', '', 'g'))) "
                               "FROM works_chapter WHERE posted")
            chapters, size = cursor.fetchone()
        return chapters, size / 1e6

    def timed(build) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        build()
        return time.perf_counter() - started, time.process_time() - cpu

    def line(label: str, seconds: float, where: str) -> str:
        chapters, mb = indexed_text()
        return f"{label}: {chapters:,} chapters, {mb:,.0f} MB of text in {seconds:.1f}s = {mb / seconds:.1f} MB/s ({where})"

    if connection.vendor == "sqlite":
        dropped, _ = timed(lambda: connection.cursor().execute(f"DROP TABLE {FTS_TABLE}"))
        seconds, cpu = timed(lambda: rebuild_text_index(connection))
        _, mb = indexed_text()
        return [line("text index build", seconds, f"{cpu:.1f} CPU-s in this process = {mb / cpu:.1f} MB/CPU-s; "
                                                  f"dropping the old index first: {dropped:.1f}s")]  # fmt: skip
    baseline, _ = timed(lambda: rebuild_postgres_text_index(connection, text_extension=False))
    lines = [line("text index build without the extension: to_tsvector (baseline)", baseline, "in the database server")]
    if not enable_text_extension(connection):
        return [*lines, "(the fanarchive_text extension is not installed on this server: no second build)"]
    seconds, _ = timed(lambda: rebuild_text_index(connection))
    return [*lines, line("text index build, fanarchive_text", seconds, "in the database server"),
            f"  build speed against the baseline: {baseline / seconds:.2f}x"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument("--words", type=int, default=5000, help="words per work")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database afterwards")
    parser.add_argument("--rebuild", action="store_true", help="time rebuilding the text index from the chapters first")
    parser.add_argument("--rebuild-only", action="store_true", help="time the rebuild, then stop (no queries)")
    args = parser.parse_args()

    name = f"fulltext_{args.works}_{args.words}"
    setup(args.db, name)
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from fanarchive.search import orm
    from fanarchive.search.filters import FilterCriteria
    from fanarchive.search.index import FilterIndex
    from fanarchive.search.live import index_path
    from fanarchive.search.models import IndexChange
    from fanarchive.search.results import paginate
    from fanarchive.search.scale import find_works
    from fanarchive.works.models import Chapter

    print(f"== bench_fulltext: {args.works:,} works of ~{args.words:,} words on {connection.vendor} ==")
    print(f"corpus: {build_corpus(args.works, args.words):.1f}s (0 = reused), peak RSS {max_rss_mb():.0f} MB")
    if args.rebuild or args.rebuild_only:
        print("\n".join(time_rebuild()))
    if args.rebuild_only:
        return 0
    analyze()
    index = FilterIndex.build()
    index.save(index_path())
    IndexChange.objects.filter(id__lte=index.change_id).delete()
    settings.FANARCHIVE_FILTER_ENGINE = "index"
    user = AnonymousUser()

    def like_scan(needle: str, **filters):
        """The straightforward way: a substring scan of every chapter body."""
        works, _ = orm.filtered_works(FilterCriteria(**filters), user)
        matching = Chapter.objects.filter(body__icontains=needle, posted=True).values("work_id")
        return paginate(works.filter(pk__in=matching), 1)

    mix = {
        "word": ("lantern", "lantern", {}),
        "phrase": ('"silver moon"', "silver moon", {}),
        "phrase+tag": ('"silver moon"', "silver moon", {"fandoms": ["Fulltext Fandom 1"]}),
        "prefix": ("lant*", "lant", {}),
    }
    print(f"{'query':<11} {'matches':>8} | {'FTS p50':>9} {'p99':>9} {'q/s':>7} | {'LIKE p50':>9} {'p99':>9} | LIKE/FTS")
    for label, (q, needle, filters) in mix.items():
        criteria = FilterCriteria(q=q, **filters)
        total = find_works(criteria, user).total
        fast = Timing.of(lambda: find_works(criteria, user), args.repeat)
        slow = Timing.of(lambda: like_scan(needle, **filters), max(3, args.repeat // 3), warmup=1)
        print(
            f"{label:<11} {total:>8,} | {ms(fast.p50)} {ms(fast.p99)} {fast.per_second:7.1f} | "
            f"{ms(slow.p50)} {ms(slow.p99)} | {slow.p50 / fast.p50:7.1f}x"
        )
    if args.drop and args.db == "postgres":
        connection.close()
        drop_pg_database(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
