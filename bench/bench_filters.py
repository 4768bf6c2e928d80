"""Works-filter latency: the bitmap filter index against the plain ORM filter, same run.

Generates (once) a synthetic corpus of ``--works`` works, adds a tag with 50
synonyms and 200 sub-tags, builds the filter index, then times an
AO3-typical mix through both engines and checks they return the same page:

  a1  fandom + rating, two freeforms excluded, sorted by kudos, page 1
  a50 the same, page 50
  b   character + relationship included
  c   complete only, over 10,000 words
  d   the tag with 50 synonyms and 200 sub-tags

and, beyond the mix, title order (ties past the index's 12-character key
read from the database):

  t1  the most used fandom sorted by title, page 1
  t50 the same, page 50

Each call returns a full ResultPage (20 works with tags and creators loaded).
Prints p50 / p99 latency in ms, single-process throughput, and the ORM/index
ratio of p50s.

``--baseline-repeat 0`` skips the ORM (at 15M works one ORM call takes
minutes); ``--paragraphs 1`` generates one-paragraph chapters, so 15M works
fit in ~40 GB of disk (a separate corpus from the default three).

Usage: .venv/bin/python bench/bench_filters.py --works 10000 --db sqlite|postgres [--repeat 20]
       [--baseline-repeat N] [--paragraphs N] [--drop]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from scale_common import Timing, analyze, drop_pg_database, generate, max_rss_mb, ms, setup

MEGA = "Bench Meta Tag"


def mega_tag_links(work_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Create a canonical tag with 50 synonyms and 200 sub-tags; return ``(work_id, tag_id)`` uses for them.

    Each of the 251 tags goes on a share of ``work_ids``; nothing is returned
    if the tags exist already (their uses were stored then).
    """
    from django.db import transaction

    from fanarchive.tags.models import Tag, TagParent, TagType, note_wrangling_changed, tag_key

    if Tag.objects.filter(name=MEGA).exists():
        return []
    rng = random.Random(5)
    with transaction.atomic():
        mega = Tag.objects.create(name=MEGA, type=TagType.FREEFORM, canonical=True)
        synonyms = [Tag(name=f"{MEGA} synonym {i}", type=TagType.FREEFORM, merger=mega) for i in range(50)]
        subs = [Tag(name=f"{MEGA} sub {i}", type=TagType.FREEFORM, canonical=True) for i in range(200)]
        for tag in synonyms + subs:
            tag.key = tag_key(tag.name)
        Tag.objects.bulk_create(synonyms + subs)
        TagParent.objects.bulk_create([TagParent(child=sub, parent=mega) for sub in subs])
    note_wrangling_changed()
    works = len(work_ids)
    links = []
    for tag, share in [(mega, 1 / 200)] + [(s, 1 / 5000) for s in synonyms] + [(s, 1 / 1000) for s in subs]:
        for position in {rng.randrange(works) for _ in range(max(3, int(works * share)))}:
            links.append((work_ids[position], tag.pk))
    return links


def add_mega_tag() -> None:
    """The tag with 50 synonyms and 200 sub-tags, used on stored works."""
    from fanarchive.works.models import Work, WorkTag

    work_ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))  # ids may have gaps
    links = [WorkTag(work_id=work_id, tag_id=tag_id) for work_id, tag_id in mega_tag_links(work_ids)]
    WorkTag.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


def most_used(tag_type: str, count: int = 1, among_tag: str | None = None) -> list[str]:
    """Names of the ``count`` tags of ``tag_type`` on most works (optionally: of the works carrying ``among_tag``)."""
    from django.db.models import Count

    from fanarchive.works.models import WorkTag

    links = WorkTag.objects.filter(tag__type=tag_type)
    if among_tag is not None:
        links = links.filter(work_id__in=WorkTag.objects.filter(tag__name=among_tag).values("work_id"))
    rows = links.values("tag__name").annotate(uses=Count("id")).order_by("-uses")[:count]
    return [row["tag__name"] for row in rows]


def the_mix(popular=most_used) -> dict[str, object]:
    """The AO3-typical filter mix, on the corpus's most used tags as ``popular`` finds them."""
    from fanarchive.search.filters import FilterCriteria

    fandom = popular("fandom")[0]
    freeforms = popular("freeform", 2)
    relationship = popular("relationship")[0]
    character = popular("character", among_tag=relationship)[0]
    a = dict(fandoms=[fandom], ratings=["Teen And Up Audiences"], exclude=freeforms, sort="kudos")
    return {
        "a1": FilterCriteria(**a),
        "a50": FilterCriteria(**a, page=50),
        "b": FilterCriteria(tags=[character, relationship]),
        "c": FilterCriteria(complete=True, words_from=10_001),
        "d": FilterCriteria(tags=[MEGA]),
    }


def title_sorts(popular=most_used) -> dict[str, object]:
    """Beyond the mix: the most used fandom in title order, first page and page 50."""
    from fanarchive.search.filters import FilterCriteria

    fandom = popular("fandom")[0]
    return {
        "t1": FilterCriteria(fandoms=[fandom], sort="title"),
        "t50": FilterCriteria(fandoms=[fandom], sort="title", page=50),
    }


ARRAY_TABLE = "bench_work_tag_array"
ARRAY_SORTS = {"updated": "updated_at", "kudos": "kudos_count"}


def build_array_table() -> float:
    """PostgreSQL alternative: each work's tag ids as an int[] with a GIN index; seconds taken."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ARRAY_TABLE}")
        cursor.execute(
            f"CREATE TABLE {ARRAY_TABLE} AS SELECT w.id AS work_id, w.posted, w.restricted, w.complete, "
            "w.word_count, w.kudos_count, w.updated_at, "
            "coalesce(array_agg(wt.tag_id) FILTER (WHERE wt.tag_id IS NOT NULL), '{}')::bigint[] AS tag_ids "
            "FROM works_work w LEFT JOIN works_worktag wt ON wt.work_id = w.id GROUP BY w.id"
        )
        cursor.execute(f"CREATE INDEX ON {ARRAY_TABLE} USING GIN (tag_ids)")
        for column in ARRAY_SORTS.values():
            cursor.execute(f"CREATE INDEX ON {ARRAY_TABLE} ({column} DESC, work_id DESC)")
        cursor.execute(f"ANALYZE {ARRAY_TABLE}")
    return time.perf_counter() - started


def array_ids(criteria) -> tuple[int, list[int]]:
    """Total and page ids from the int[] table: ``&&`` (overlap) per include, NOT ``&&`` for excludes."""
    from django.db import connection

    from fanarchive.search.resolve import resolve

    resolved = resolve(criteria)
    where, params = ["posted", "NOT restricted"], []
    for tag_ids in resolved.all_of:
        where.append("tag_ids && %s::bigint[]")
        params.append(sorted(tag_ids))
    if resolved.none_of:
        where.append("NOT (tag_ids && %s::bigint[])")
        params.append(sorted(resolved.none_of))
    if criteria.complete:
        where.append("complete")
    if criteria.words_from is not None:
        where.append("word_count >= %s")
        params.append(criteria.words_from)
    sql = f"FROM {ARRAY_TABLE} WHERE {' AND '.join(where)}"
    column = ARRAY_SORTS[criteria.sort]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {sql}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT work_id {sql} ORDER BY {column} DESC, work_id DESC LIMIT 20 OFFSET %s",
            [*params, (criteria.page - 1) * 20],
        )
        return total, [row[0] for row in cursor.fetchall()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per query and engine")
    parser.add_argument(
        "--baseline-repeat", type=int,
        help="timed ORM (and int[]+GIN) calls per query (default --repeat; lower it at 1M+ works; 0: skip them)",
    )
    parser.add_argument("--paragraphs", type=int, default=3, help="paragraphs per generated chapter")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database afterwards")
    args = parser.parse_args()

    corpus = str(args.works) if args.paragraphs == 3 else f"{args.works}-p{args.paragraphs}"
    setup(args.db, corpus)
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from fanarchive.search import orm, scale
    from fanarchive.search.index import FilterIndex
    from fanarchive.search.live import index_path, live_index
    from fanarchive.search.models import IndexChange
    from fanarchive.search.resolve import resolve

    print(f"== bench_filters: {args.works:,} works on {connection.vendor} ==")
    print(f"generate: {generate(args.works, args.paragraphs):.1f}s")
    add_mega_tag()
    analyze()

    rss_before = max_rss_mb()
    started = time.perf_counter()
    index = FilterIndex.build(progress=True)
    build_seconds = time.perf_counter() - started
    index.save(index_path())
    IndexChange.objects.filter(id__lte=index.change_id).delete()  # the bench needs no history
    del index
    started = time.perf_counter()
    live = live_index()
    with live.lock:
        stats = live.current().stats()
    load_seconds = time.perf_counter() - started
    print(
        f"index: build {build_seconds:.1f}s, load {load_seconds:.2f}s, file {index_path().stat().st_size / 1e6:.1f} MB, "
        f"{stats['tags']:,} tags, {stats['links']:,} links, bitmaps {stats['bitmap_bytes'] / 1e6:.1f} MB, "
        f"columns {stats['column_bytes'] / 1e6:.1f} MB, peak RSS {rss_before:.0f} -> {max_rss_mb():.0f} MB"
    )

    def index_ids(criteria) -> list[int]:
        """The index's part alone: resolve tags, intersect bitmaps, pick the page's ids."""
        with live.lock:
            index = live.current()
            matches = index.matching(resolve(criteria), criteria, False)
            return index.page(matches, criteria.sort, (criteria.page - 1) * 20, 20)

    user = AnonymousUser()
    print("Latency in ms for a whole result page (20 works with tags and creators); 'ids' = index lookup alone.")
    print(f"{'query':<5} {'matches':>9} {'same':>5} | {'ids p50':>9} | {'index p50':>9} {'p99':>9} {'q/s':>7} | "
          f"{'ORM p50':>9} {'p99':>9} {'q/s':>7} | ORM/index")  # fmt: skip
    for name, criteria in {**the_mix(), **title_sorts()}.items():
        settings.FANARCHIVE_FILTER_ENGINE = "index"
        fast_page = scale.find_works(criteria, user)
        fast = Timing.of(lambda: scale.find_works(criteria, user), args.repeat)
        lookup = Timing.of(lambda: index_ids(criteria), args.repeat)
        timings = f"{ms(lookup.p50)} | {ms(fast.p50)} {ms(fast.p99)} {fast.per_second:7.0f} | "
        if args.baseline_repeat == 0:
            print(f"{name:<5} {fast_page.total:>9,} {'-':>5} | {timings}ORM skipped")
            continue
        slow_page = orm.find_works(criteria, user)  # also the ORM's warm-up call
        slow = Timing.of(lambda: orm.find_works(criteria, user), args.baseline_repeat or args.repeat, warmup=0)
        same = fast_page.total == slow_page.total and [w.pk for w in fast_page.works] == [
            w.pk for w in slow_page.works
        ]
        print(
            f"{name:<5} {fast_page.total:>9,} {'yes' if same else 'NO':>5} | {timings}"
            f"{ms(slow.p50)} {ms(slow.p99)} {slow.per_second:7.1f} | {slow.p50 / fast.p50:8.1f}x"
        )
    if connection.vendor == "postgresql" and args.baseline_repeat != 0:
        print(f"PostgreSQL alternative: int[] of tag ids + GIN, built in {build_array_table():.1f}s "
              "(total + page ids, compared with the index lookup alone)")
        print(f"{'query':<5} {'same':>5} | {'ids p50':>9} | {'GIN p50':>9} {'p99':>9} | GIN/index")
        for name, criteria in the_mix().items():
            expected = (len(live.current().matching(resolve(criteria), criteria, False)), index_ids(criteria))
            same = array_ids(criteria) == expected
            lookup = Timing.of(lambda: index_ids(criteria), args.repeat)
            gin = Timing.of(lambda: array_ids(criteria), args.baseline_repeat or args.repeat, warmup=1)
            print(f"{name:<5} {'yes' if same else 'NO':>5} | {ms(lookup.p50)} | {ms(gin.p50)} {ms(gin.p99)} | "
                  f"{gin.p50 / lookup.p50:8.1f}x")
    if args.drop and args.db == "postgres":
        connection.close()
        drop_pg_database(corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
