"""Synthetic works shaped like AO3's, for demos and benchmarks.

:func:`generate` fills the archive with works whose tags follow the real long
tail (numbers in ``synthetic_params.json``, derived from AO3 data by
``bench/derive_synthetic_params.py``): a few freeforms on a large share of
works and tens of thousands used a handful of times, fandom sizes falling off
as a power law, characters and relationships drawn from each work's fandoms,
AO3's rating / warning / category shares, log-normal word counts, and
wrangling (synonyms, meta tags, fandoms under media and meta fandoms).

Usage (also from benchmarks, e.g. the filter index at 15M works)::

    from fanarchive.works.synthetic import generate
    generate(1_000_000, seed=1, batch_size=5000)

Works are numbered 0..n-1 per seed (``import_key`` ``synthetic:<seed>:<i>``),
each drawn from its own seeded random stream, so ``generate(n, seed)`` gives
the same archive every time, running it twice adds nothing the second time,
and a larger ``n`` adds only the missing works. The tag universe grows with
``n`` (more fandoms and freeforms in the tail; authors capped at 500k to
bound memory) but is one nested sequence whatever the seed, so several seeds
share their tags.
Rows go in with bulk inserts (COPY on PostgreSQL) one batch per transaction,
so memory stays bounded by ``batch_size``. Chapter bodies are a few short
paragraphs from a small vocabulary; ``word_count`` comes from the
distribution, not from the stored text.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from django.db import connection, models, transaction

from fanarchive.people.models import Pseud
from fanarchive.search.sql import links_of_new_works_unlogged
from fanarchive.tags.models import MEDIA, Tag, TagParent, TagType, note_wrangling_changed, tag_key
from fanarchive.works.models import Chapter, Work, WorkTag, sortable_title

PARAMS_FILE = Path(__file__).with_name("synthetic_params.json")
KEY_PREFIX = "synthetic"
MAX_TAGS_PER_WORK = 75  # AO3's limit
MAX_AUTHORS = 500_000  # keeps the author pool (held in memory) bounded at any n

_SYLLABLES = (
    "ka ri so ven tal mor eth lin dra quo sel ar vi an nor bel cor dan el fen gar hal ir jor "
    "kel lor mar nim or pel ras sha tor ul val wen yr zel ae bri cal dor est fal gwen is"
).split()
_WORDS = (
    "light night storm river glass ember hollow winter summer crown letter garden harbor "
    "lantern silver iron paper thread stone shadow orchard tide feather mirror candle ash "
    "north west salt honey wolf raven fox sparrow kettle bridge tower window door road"
).split()
_ADJECTIVES = (
    "quiet broken small golden last long bright lost second secret distant gentle wild "
    "hidden burning open late borrowed soft careful strange old new"
).split()
_TROPES = (
    "Angst|Fluff|Hurt/Comfort|Slow Burn|Friendship|Found Family|Humor|Romance|Drama|"
    "Established Relationship|First Kiss|Pining|Mutual Pining|Domestic Fluff|Smut|Whump|"
    "Character Study|Missing Scene|Fix-It|Post-Canon|Pre-Canon|Canon Divergence|Time Travel|"
    "Enemies to Lovers|Friends to Lovers|Fake Dating|Soulmates|Happy Ending|Sad Ending|"
    "Grief|Recovery|Nightmares|Cuddling|Road Trip|Holidays|Snow|Rain|Cooking|Tea|Coffee|Books|"
    "Letters|Music|Dancing|Magic|Curses|Dreams|Memory Loss|Sickfic|Injury|Protectiveness"
).split("|")


@cache
def params() -> dict:
    """The derived corpus parameters (see bench/derive_synthetic_params.py)."""
    return json.loads(PARAMS_FILE.read_text())


@dataclass
class Sampler:
    """Weighted choice by bisection over cumulative weights (fast, repeatable)."""

    items: Sequence
    cumulative: list[float]

    @classmethod
    def of(cls, weighted: dict | Sequence[tuple]) -> Sampler:
        pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        return cls([item for item, _ in pairs], list(itertools.accumulate(w for _, w in pairs)))

    @classmethod
    def zipf(cls, items: Sequence, exponent: float, offset: float = 0) -> Sampler:
        """Rank r (1-based) drawn with weight (r + offset)^-exponent."""
        return cls(items, list(itertools.accumulate((r + offset) ** -exponent for r in range(1, len(items) + 1))))

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(eq=False)
class Fandom:
    tag_id: int
    characters: Sampler
    relationships: Sampler | None


@dataclass
class Universe:
    """The tags and creators synthetic works draw from, for a corpus of ``n`` works."""

    fandoms: Sampler
    freeforms: Sampler
    authors: Sampler
    fixed: dict[str, Sampler]
    shape: dict[str, Sampler]  # per-work counts, languages, years
    synonyms: dict[int, int] = field(default_factory=dict)  # canonical id → a synonym's id
    bodies: list[str] = field(default_factory=list)


@dataclass
class GenerateResult:
    created: int
    existing: int


def generate(
    n: int,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    paragraphs: int = 3,
) -> GenerateResult:
    """Make sure synthetic works 0..n-1 of ``seed`` exist; return how many were added.

    ``progress`` is called with the number of works written after each batch.
    ``paragraphs`` per chapter body: 1 keeps 15M works within ~40 GB of disk.
    """
    prefix = f"{KEY_PREFIX}:{seed}:"
    existing = Work.objects.filter(import_key__startswith=prefix).count()
    if existing >= n:
        restore_sort_indexes()  # in case an interrupted load left them out
        return GenerateResult(created=0, existing=existing)
    universe = build_universe(n, paragraphs)
    counts: Counter[int] = Counter()
    with _sort_indexes_built_after(defer=n - existing >= max(DEFER_INDEXES_FROM, existing)):
        for start in range(existing, n, batch_size):
            stop = min(n, start + batch_size)
            with transaction.atomic():
                _relax_durability()
                counts.update(_write_batch(universe, seed, range(start, stop), prefix))
            if progress:
                progress(stop - start)
    _add_works_counts(counts)
    return GenerateResult(created=n - existing, existing=existing)


# --- the tag universe ---------------------------------------------------------


def universe_sizes(n: int) -> dict[str, int]:
    """How many fandoms, freeforms and authors a corpus of ``n`` works draws on."""
    assumed = params()["assumed"]
    return {
        "fandoms": max(12, min(80_000, n // assumed["works_per_fandom"])),
        "freeforms": max(60, min(params()["freeforms"]["canonical_count"], n // 8)),
        "authors": max(10, min(MAX_AUTHORS, n // assumed["works_per_author"])),
    }


def build_universe(n: int, paragraphs: int = 3) -> Universe:
    """Create (or find) the synthetic tags, wrangling and pseuds for ``n`` works (bodies of ``paragraphs``)."""
    p, assumed = params(), params()["assumed"]
    sizes = universe_sizes(n)
    names = _NameStream()
    fandom_names = names.fandoms(sizes["fandoms"])
    character_names = {f: names.characters(f, _characters_in(rank)) for rank, f in enumerate(fandom_names, 1)}
    freeform_names = names.freeforms(sizes["freeforms"])

    rows: dict[str, str] = {}  # name → type
    rows.update(dict.fromkeys(fandom_names, TagType.FANDOM))
    relationships: dict[str, list[str]] = {}
    for fandom, chars in character_names.items():
        rows.update(dict.fromkeys(chars, TagType.CHARACTER))
        relationships[fandom] = _relationships(chars)
        rows.update(dict.fromkeys(relationships[fandom], TagType.RELATIONSHIP))
    rows.update(dict.fromkeys(freeform_names, TagType.FREEFORM))
    meta_freeforms, super_metas = _meta_names(names, len(freeform_names))
    meta_fandoms = [f"{name} - All Media Types" for name in fandom_names[: max(1, len(fandom_names) // 20)]]
    rows.update(dict.fromkeys([*meta_freeforms, *super_metas], TagType.FREEFORM))
    rows.update(dict.fromkeys(meta_fandoms, TagType.FANDOM))
    ids = _ensure_tags(rows, canonical=True)

    synonym_rows = {
        _synonym_name(name, tag_type): tag_type
        for name, tag_type in rows.items()
        if tag_type in (TagType.CHARACTER, TagType.FREEFORM) and name in ids and " " in name
        and _chance(name, "synonym") < assumed["synonym_share"]
    }  # fmt: skip
    synonym_ids = _ensure_tags(synonym_rows, canonical=False)
    synonyms = {}
    for name, tag_type in rows.items():
        synonym = _synonym_name(name, tag_type)
        if synonym in synonym_ids and name in ids and synonym_ids[synonym] != ids[name]:
            synonyms[ids[name]] = synonym_ids[synonym]
    _merge_synonyms(synonyms)
    _link_parents(
        ids,
        fandom_names,
        character_names,
        relationships,
        freeform_names,
        meta_freeforms,
        super_metas,
        meta_fandoms,
    )

    exponent, offset = p["freeforms"]["zipf_exponent"], p["freeforms"]["zipf_offset"]
    fandom_exponent = assumed["fandom_zipf_exponent"]
    fandoms = [
        Fandom(
            tag_id=ids[f],
            characters=Sampler.zipf([ids[c] for c in character_names[f] if c in ids], 1.0),
            relationships=Sampler.zipf([ids[r] for r in relationships[f] if r in ids], 1.0)
            if relationships[f]
            else None,
        )
        for f in fandom_names
        if f in ids
    ]
    fixed_types = [TagType.RATING, TagType.WARNING, TagType.CATEGORY]
    fixed_ids = dict(Tag.objects.filter(type__in=fixed_types).values_list("name", "id"))
    return Universe(
        fandoms=Sampler.zipf(fandoms, fandom_exponent),
        # The fitted rank offset scales with the universe, keeping the head's shape.
        freeforms=Sampler.zipf(
            [ids[f] for f in freeform_names if f in ids],
            exponent,
            offset * len(freeform_names) / p["freeforms"]["canonical_count"],
        ),
        authors=Sampler.zipf(_ensure_authors(names, sizes["authors"]), assumed["authors_zipf_exponent"]),
        fixed={
            kind: Sampler.of({fixed_ids[name]: share for name, share in p[kind].items() if name in fixed_ids})
            for kind in ("ratings", "warnings", "categories")
        },
        shape={
            "fandoms": Sampler.of({int(k): v for k, v in assumed["fandoms_per_work"].items()}),
            "other_tags": Sampler.of({int(k): v for k, v in p["per_work"]["tags_other_histogram"].items()}),
            "languages": Sampler.of(assumed["languages"]),
            "years": Sampler.of(
                [(y, assumed["yearly_growth"] ** (y - assumed["first_year"]))
                 for y in range(assumed["first_year"], assumed["last_year"] + 1)]
            ),
        },  # fmt: skip
        synonyms=synonyms,
        bodies=_bodies(random.Random(f"{KEY_PREFIX}-bodies"), 64, paragraphs),
    )


def _characters_in(fandom_rank: int) -> int:
    """Big fandoms have many characters, the long tail a few."""
    return 3 + int(60 / math.sqrt(fandom_rank))


def _relationships(characters: list[str]) -> list[str]:
    """Pairings among a fandom's leading characters, romantic (/) and platonic (&)."""
    lead = characters[: max(2, len(characters) // 2)]
    pairs = list(itertools.combinations(lead, 2))[: len(characters)]
    return [f"{a}{'/' if i % 3 else ' & '}{b}" for i, (a, b) in enumerate(pairs)]


def _meta_names(names: _NameStream, freeform_count: int) -> tuple[list[str], list[str]]:
    meta = params()["meta_tags"]
    with_meta = int(freeform_count * meta["freeform_share_with_meta"])
    metas = max(1, round(with_meta / meta["fan_out_mean"]))
    supers = max(1, round(metas * meta["metas_with_meta_share"] / meta["fan_out_mean"]))
    return names.metas(metas, "Meta"), names.metas(supers, "Themes")


def _synonym_name(name: str, tag_type: str) -> str:
    """A variant spelling: character "Mira Castellan" → "Castellan, Mira"; "Slow Burn" → "Slow-Burn"."""
    first, _, rest = name.partition(" ")
    return f"{rest}, {first}" if tag_type == TagType.CHARACTER else name.replace(" ", "-")


def _chance(name: str, purpose: str) -> float:
    """A repeatable pseudo-random number in [0, 1) for one tag and purpose."""
    return random.Random(f"{purpose}:{name}").random()


def _link_parents(
    ids: dict[str, int],
    fandom_names: list[str],
    characters: dict[str, list[str]],
    relationships: dict[str, list[str]],
    freeform_names: list[str],
    meta_freeforms: list[str],
    super_metas: list[str],
    meta_fandoms: list[str],
) -> None:
    """Fandoms under media and meta fandoms; characters, relationships under fandoms; meta tags."""
    media = dict(Tag.objects.filter(type=TagType.MEDIA, name__in=MEDIA).values_list("name", "id"))
    ids = {**ids, **media}
    media_names = sorted(media)
    edges: list[tuple[str, str]] = []  # (child, parent)
    for rank, fandom in enumerate(fandom_names):
        if media_names:
            edges.append((fandom, media_names[int(_chance(fandom, "media") * len(media_names))]))
        if rank < len(meta_fandoms):
            edges.append((fandom, meta_fandoms[rank]))
        edges += [(child, fandom) for child in [*characters[fandom], *relationships[fandom]]]
    edges += [(meta, media_names[0]) for meta in meta_fandoms if media_names]
    meta_of = Sampler.zipf(meta_freeforms, 1.2)
    share = params()["meta_tags"]["freeform_share_with_meta"]
    edges += [
        (name, meta_of(random.Random(f"meta-of:{name}")))
        for name in freeform_names
        if _chance(name, "meta") < share
    ]
    edges += [(meta, super_metas[i % len(super_metas)]) for i, meta in enumerate(meta_freeforms) if i % 4 == 0]
    links = [TagParent(child_id=ids[c], parent_id=ids[p]) for c, p in edges if c in ids and p in ids]
    TagParent.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


def _ensure_tags(rows: dict[str, str], *, canonical: bool) -> dict[str, int]:
    """Create missing tags; return name → id for those whose type matches."""
    for chunk in _chunks(list(rows.items()), 5000):
        Tag.objects.bulk_create(
            [Tag(name=name, key=tag_key(name), type=tag_type, canonical=canonical) for name, tag_type in chunk],
            ignore_conflicts=True,
        )
    found = {}
    by_key = {tag_key(name): name for name in rows}
    for chunk in _chunks(list(by_key), 5000):
        for key, tag_id, tag_type in Tag.objects.filter(key__in=chunk).values_list("key", "id", "type"):
            if tag_type == rows[by_key[key]]:
                found[by_key[key]] = tag_id
    return found


def _merge_synonyms(synonyms: dict[int, int]) -> None:
    for chunk in _chunks(list(synonyms.items()), 2000):
        for canonical_id, synonym_id in chunk:
            Tag.objects.filter(pk=synonym_id, merger__isnull=True).update(merger_id=canonical_id, canonical=False)
    note_wrangling_changed()


def _ensure_authors(names: _NameStream, count: int) -> list[int]:
    wanted = names.authors(count)
    for chunk in _chunks(wanted, 5000):
        Pseud.objects.bulk_create([Pseud(name=name) for name in chunk], ignore_conflicts=True)
    ids = {}
    for chunk in _chunks(wanted, 5000):
        ids.update(Pseud.objects.filter(name__in=chunk).values_list("name", "id"))
    return [ids[name] for name in wanted if name in ids]


class _NameStream:
    """Made-up, unique, repeatable names; the first k of each kind never change with n."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def _unique(self, name: str, index: int) -> str:
        if tag_key(name) in self.used:
            name = f"{name} {index}"
        self.used.add(tag_key(name))
        return name

    @staticmethod
    def _word(rng: random.Random, syllables: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()

    def fandoms(self, count: int) -> list[str]:
        rng = random.Random("fandoms")
        suffixes = [" (TV)", " (Video Game)", " - Novel Series", " (Anime)", " (Movies)", " (Comics)", ""]
        return [
            self._unique(f"{self._word(rng, 2)} {rng.choice(_WORDS).capitalize()}{rng.choice(suffixes)}", i)
            for i in range(count)
        ]

    def characters(self, fandom: str, count: int) -> list[str]:
        rng = random.Random(f"characters:{fandom}")
        return [self._unique(f"{self._word(rng, 2)} {self._word(rng, 3)}", i) for i in range(count)]

    def freeforms(self, count: int) -> list[str]:
        rng = random.Random("freeforms")
        tropes = _TROPES
        found = []
        for i in range(count):
            if i < len(tropes):
                name = tropes[i]
            elif i % 2:
                name = f"{rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_WORDS).capitalize()}"
            else:
                name = f"{rng.choice(tropes)} - {rng.choice(_WORDS).capitalize()} {self._word(rng, 2)}"
            found.append(self._unique(name, i))
        return found

    def metas(self, count: int, kind: str) -> list[str]:
        rng = random.Random(f"metas:{kind}")
        return [self._unique(f"{rng.choice(_WORDS).capitalize()} {kind}", i) for i in range(count)]

    def authors(self, count: int) -> list[str]:
        rng = random.Random("authors")
        return [
            f"{rng.choice(_ADJECTIVES)}{rng.choice(_WORDS)}_{i}" for i in range(count)
        ]  # the index keeps names unique (pseud names are unique ignoring case)


# --- works --------------------------------------------------------------------


def _write_batch(universe: Universe, seed: int, indexes: range, prefix: str) -> Counter[int]:
    """Insert the works numbered ``indexes``; return how many times each tag was used."""
    works = _Rows(Work, ("id", *WORK_FIELDS, "sort_title"))
    chapters = _Rows(Chapter, ("work_id", "position", "body", "word_count", "published_at"))
    work_tags, creators = [], []
    used: Counter[int] = Counter()
    drawn = drawn_works(universe, seed, indexes, prefix)
    for index, work_id, (fields, tag_ids, chapter_count, author_id) in zip(
        indexes, _reserve_ids(Work, len(indexes)), drawn
    ):
        work = dict(zip(WORK_FIELDS, fields))
        for name in ("published_at", "updated_at"):
            work[name] = _db_datetime(work[name])
        works.add(work_id, *work.values(), sortable_title(work["title"]))
        used.update(tag_ids)
        work_tags += [(work_id, tag_id) for tag_id in tag_ids]
        creators.append((work_id, author_id))
        for position in range(1, chapter_count + 1):
            chapters.add(
                work_id,
                position,
                universe.bodies[(index + position) % len(universe.bodies)],
                max(1, work["word_count"] // chapter_count),
                work["published_at"] if position == 1 else work["updated_at"],
            )
    works.insert()
    chapters.insert()
    with links_of_new_works_unlogged(connection):  # the works' own log rows cover their links
        _insert_rows(WorkTag._meta.db_table, ("work_id", "tag_id"), work_tags)
    _insert_rows(Work.creators.through._meta.db_table, ("work_id", "pseud_id"), creators)
    return used


def drawn_works(
    universe: Universe, seed: int, indexes: Iterable[int], prefix: str
) -> Iterator[tuple[tuple, list[int], int, int]]:
    """Synthetic works ``indexes`` of ``seed``, drawn but not stored.

    Each is (field values in WORK_FIELDS order, dates as datetimes; tag ids;
    chapter count; author pseud id). A work depends only on (seed, index), so
    any slice can be drawn again alone, which is how generation resumes.
    """
    rng = random.Random()
    for index in indexes:
        rng.seed(seed * 4_294_967_311 + index)
        fields, tag_ids, chapter_count = _draw_work(universe, rng, f"{prefix}{index}")
        yield fields, tag_ids, chapter_count, universe.authors(rng)


#: The Work fields a synthetic work sets, in the order :func:`_draw_work` returns them.
WORK_FIELDS = (
    "title", "summary", "language", "word_count", "chapter_count", "expected_chapters", "complete",
    "restricted", "hits", "kudos_count", "bookmarks_count", "comments_count", "published_at", "updated_at",
    "import_key",
)  # fmt: skip


def _draw_work(universe: Universe, rng: random.Random, key: str) -> tuple[tuple, list[int], int]:
    """One work's field values (WORK_FIELDS order), tag ids and chapter count, drawn from ``rng``."""
    p, assumed = params(), params()["assumed"]
    fandoms = {universe.fandoms(rng) for _ in range(universe.shape["fandoms"](rng))}
    tags = [universe.fixed["ratings"](rng)]
    tags += _several(rng, universe.fixed["warnings"], p["per_work"]["warnings_mean"])
    tags += _several(rng, universe.fixed["categories"], p["per_work"]["categories_mean"])
    tags += [f.tag_id for f in fandoms]
    fandom_list = sorted(fandoms, key=lambda f: f.tag_id)
    shares = assumed["other_tag_shares"]
    others = min(MAX_TAGS_PER_WORK - len(tags), universe.shape["other_tags"](rng) - len(fandoms))
    for _ in range(max(0, others)):
        kind = rng.random()
        fandom = rng.choice(fandom_list)
        if kind < shares["relationship"] and fandom.relationships:
            tag_id = fandom.relationships(rng)
        elif kind < shares["relationship"] + shares["character"]:
            tag_id = fandom.characters(rng)
        else:
            tag_id = universe.freeforms(rng)
        if tag_id in universe.synonyms and rng.random() < assumed["synonym_use_share"]:
            tag_id = universe.synonyms[tag_id]
        tags.append(tag_id)

    words = max(50, int(rng.lognormvariate(p["word_count"]["lognormal_mu"], p["word_count"]["lognormal_sigma"])))
    chapters = max(1, min(200, round(words / assumed["words_per_chapter"] * rng.uniform(0.5, 1.5))))
    complete = rng.random() < assumed["complete_share"]
    published = datetime(universe.shape["years"](rng), 1, 1, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(365 * 86400)
    )
    updated = published if chapters == 1 else published + timedelta(days=rng.expovariate(1 / 60) * chapters)
    updated = max(published, min(updated, datetime(assumed["last_year"] + 1, 1, 1, tzinfo=UTC)))
    hits = int(rng.lognormvariate(*assumed["hits_lognormal"]))
    kudos = int(hits * assumed["kudos_per_hit"] * rng.uniform(0.3, 1.7))
    fields = (
        _title(rng),
        f"<p>{_sentence(rng, 12, 30)}</p>",
        universe.shape["languages"](rng),
        words,
        chapters,
        chapters if complete else rng.choice([None, chapters + rng.randint(1, 10)]),
        complete,
        rng.random() < p["per_work"]["restricted_share"],
        hits,
        kudos,
        int(kudos * assumed["bookmarks_per_kudo"] * rng.uniform(0.3, 1.7)),
        int(kudos * assumed["comments_per_kudo"] * rng.uniform(0.3, 1.7)),
        published,
        updated,
        key,
    )
    return fields, list(dict.fromkeys(tags)), chapters


def _several(rng: random.Random, sampler: Sampler, mean: float) -> list[int]:
    """One draw, plus more while a coin with the leftover mean says so."""
    found = [sampler(rng)]
    while rng.random() < (mean - 1) and len(found) < 4:
        found.append(sampler(rng))
    return found


def _title(rng: random.Random) -> str:
    return f"The {rng.choice(_ADJECTIVES).capitalize()} {rng.choice(_WORDS).capitalize()}"


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = [rng.choice(_WORDS if i % 3 else _ADJECTIVES) for i in range(rng.randint(shortest, longest))]
    return " ".join(words).capitalize() + "."


def _bodies(rng: random.Random, count: int, paragraphs: int) -> list[str]:
    """A small pool of chapter bodies of ``paragraphs`` short paragraphs each."""
    return ["\n".join(f"<p>{_sentence(rng, 25, 60)}</p>" for _ in range(paragraphs)) for _ in range(count)]


# --- bulk helpers ---------------------------------------------------------------


class _Rows:
    """Raw rows for one model's table: the named fields given, every other at its default.

    Building tuples and inserting them directly skips the ORM's per-object
    work, the bulk of the time at millions of rows; new model fields with
    defaults are picked up without changes here.
    """

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in names]
        self.table = model._meta.db_table
        self.columns = tuple(f.column for f in fields)
        slot = {f.attname: i for i, f in enumerate(fields)}
        self.positions = [slot[name] for name in names]
        self.template = [
            None if f.attname in names else f.get_db_prep_save(f.get_default(), connection) for f in fields
        ]
        self.rows: list[list] = []

    def add(self, *values) -> None:
        row = self.template.copy()
        for position, value in zip(self.positions, values):
            row[position] = value
        self.rows.append(row)

    def insert(self) -> None:
        _insert_rows(self.table, self.columns, self.rows)


#: Adding at least this many works (and at least as many as exist) drops the
#: sort indexes first and builds them once at the end.
DEFER_INDEXES_FROM = 100_000


def _deferrable_indexes() -> list[tuple[type[models.Model], models.Index]]:
    """Indexes no bulk insert needs: Work's sort orders and the (tag, work) index."""
    return [(Work, index) for index in Work._meta.indexes] + [(WorkTag, index) for index in WorkTag._meta.indexes]


@contextmanager
def _sort_indexes_built_after(defer: bool) -> Iterator[None]:
    """Insert without the sort and (tag, work) indexes, then build them once.

    Each new work lands at a random place in eight sort indexes and its ~19
    tag links in the (tag, work) index, and every page touched is written
    twice (WAL, then checkpoint): at 5M works on SQLite that made generation
    ~600 works/s against ~3,400 without them, while building them all
    afterwards took under five minutes. Any index missing when this ends (or
    left missing by an interrupted run) is created, even on errors.
    """
    if defer:
        with connection.cursor() as cursor:
            for _, index in _deferrable_indexes():
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")
    try:
        yield
    finally:
        restore_sort_indexes()


def restore_sort_indexes() -> list[str]:
    """Create whichever deferrable indexes are missing; their names."""
    with connection.cursor() as cursor:
        missing = [
            (model, index) for model, index in _deferrable_indexes()
            if index.name not in connection.introspection.get_constraints(cursor, model._meta.db_table)
        ]  # fmt: skip
        if missing and connection.vendor == "postgresql" and connection.in_atomic_block:
            # PostgreSQL will not index a table with foreign-key checks still deferred
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        editor = connection.schema_editor()
        for model, index in missing:
            cursor.execute(str(index.create_sql(model, editor)))
    return [index.name for _, index in missing]


def _relax_durability() -> None:
    """On PostgreSQL, let this transaction commit without waiting for the disk.

    A crash can lose the last batches but never corrupts anything, and the
    next run regenerates them; bulk loading is several times faster.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _db_datetime(value: datetime):
    """A datetime as the database backend stores it."""
    return connection.ops.adapt_datetimefield_value(value)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys (inside the batch's transaction)."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock, so nobody takes these ids meanwhile.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows fast: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})", rows)


def _add_works_counts(counts: Counter[int]) -> None:
    """Add the new works to the tags' cached ``works_count``."""
    table = connection.ops.quote_name(Tag._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET works_count = works_count + %s WHERE id = %s",
            [(added, tag_id) for tag_id, added in counts.items()],
        )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
