"""The demo archive: original sample works, a tag graph and a series.

Everything in ``works/demo/`` was written for this project. :func:`load_demo`
loads the tag graph, imports the works (re-importing updates them in place),
groups the series, and gives each work repeatable kudos, hits and dates, so
running it twice leaves the archive as after running it once.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.db import transaction

from fanarchive.tags.graph import load_graph
from fanarchive.works.importer import ImportResult, import_key, import_path
from fanarchive.works.models import Series, SeriesPart, Work

DEMO_DIR = Path(__file__).with_name("demo")
DEMO_START = datetime(2019, 3, 1, tzinfo=UTC)

#: The demo shows the reader at work: works posted with no tags at all (like
#: the seed) get the reader's confident suggestions applied. A real import
#: only offers suggestions unless the operator passes --apply-suggestions.
DEMO_SUGGESTION_THRESHOLD = 0.7


def load_demo() -> ImportResult:
    """Load the demo tag graph, works and series; return the import result."""
    load_graph(json.loads((DEMO_DIR / "tag_graph.json").read_text(encoding="utf-8")))
    result = import_path(DEMO_DIR, apply_suggestions=DEMO_SUGGESTION_THRESHOLD)
    for work in Work.objects.filter(pk__in=[*result.created, *result.updated]):
        _set_activity(work)
    _load_series(json.loads((DEMO_DIR / "series.json").read_text(encoding="utf-8")))
    return result


def _set_activity(work: Work) -> None:
    """Plausible, repeatable kudos, hits and dates (seeded by the work's file)."""
    rng = random.Random(work.import_key)
    work.published_at = DEMO_START + timedelta(days=rng.randrange(5 * 365), minutes=rng.randrange(24 * 60))
    work.updated_at = work.published_at + timedelta(days=30 * (work.chapter_count - 1))
    work.hits = int(rng.lognormvariate(7.5, 0.8))
    work.kudos_count = int(work.hits * rng.uniform(0.04, 0.12))
    work.bookmarks_count = int(work.kudos_count * rng.uniform(0.08, 0.2))
    work.comments_count = int(work.kudos_count * rng.uniform(0.05, 0.25))
    work.save(update_fields=["published_at", "updated_at", "hits", "kudos_count", "bookmarks_count", "comments_count"])
    work.chapters.update(published_at=work.published_at)


@transaction.atomic
def _load_series(data: dict) -> None:
    for entry in data["series"]:
        works = [Work.objects.get(import_key=import_key(DEMO_DIR / name)) for name in entry["works"]]
        series, _ = Series.objects.update_or_create(
            title=entry["title"],
            defaults={
                "summary": f"<p>{entry['summary']}</p>",
                "complete": entry["complete"],
                "created_at": works[0].published_at,
                "updated_at": max(w.updated_at for w in works),
            },
        )
        series.parts.all().delete()
        SeriesPart.objects.bulk_create(
            [SeriesPart(series=series, work=work, position=i) for i, work in enumerate(works, 1)]
        )
        series.creators.set({pseud for work in works for pseud in work.creators.all()})
