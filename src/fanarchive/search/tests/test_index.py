"""The filter index gives exactly the ORM filter's pages, before and after edits and wrangling.

The index is built once per test and then kept current only through the
change log (as app servers do), never rebuilt, so each edit below also tests
the triggers and the replay. Blocks are tiny and the "small result" shortcuts
are off, so the block walk and range code paths run on a small corpus.
"""

import datetime
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fanarchive.search import index as index_module
from fanarchive.search import orm
from fanarchive.search.check import SIGNED_IN, difference, random_criteria
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.index import SORT_COLUMNS, TITLE_KEY_LENGTH, FilterIndex, title_key
from fanarchive.search.models import IndexChange
from fanarchive.search.scale import find_works
from fanarchive.tags.models import RATINGS, Tag, TagType
from fanarchive.works.models import Chapter, Work, WorkTag, sortable_title
from fanarchive.works.synthetic import generate
from fanarchive.works.tests.factories import create_tag, create_work

pytestmark = pytest.mark.django_db

FANDOMS = ["Stargate SG-1", "Stargate Atlantis", "Farscape", "Blake's 7"]
CHARACTERS = ["Daniel Jackson", "Teyla Emmagan", "Aeryn Sun", "Kerr Avon"]
FREEFORMS = ["Hurt/Comfort", "Fluff", "Angst", "Alternate Universe", "Time Travel", "Missing Scene"]
START = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
#: Titles of the corpus works (by number): many agree in their first 12 sortable
#: characters ("longwayhomep…") or entirely, so title pages cross tied groups.
TITLES = ["work {}", "The Long Way Home, part {}", "Long way home part {}0", "long way home", "Ōkami {}"]


@pytest.fixture
def corpus():
    """About 70 works over a small wrangled tag graph, with ties in every sort column."""
    stargate = create_tag("Stargate Franchise", TagType.FANDOM)
    for name in FANDOMS:
        create_tag(name, TagType.FANDOM, parents=[stargate] if name.startswith("Stargate") else [])
    create_tag("SGA", TagType.FANDOM, merger=Tag.objects.get(name="Stargate Atlantis"))
    for name in CHARACTERS:
        create_tag(name, TagType.CHARACTER)
    for name in FREEFORMS:
        create_tag(name)
    create_tag("AU", merger=create_tag("Alternate Universe"))
    rng = random.Random(7)
    names = FANDOMS + ["SGA"] + CHARACTERS + FREEFORMS + ["AU", "unwrangled thing"]
    for number in range(70):
        create_work(
            TITLES[number % len(TITLES)].format(number),
            tags=[rng.choice(RATINGS), *rng.sample(names, k=rng.randint(1, 4))],
            complete=rng.random() < 0.5,
            restricted=rng.random() < 0.15,
            posted=rng.random() < 0.93,
            language=rng.choice(["en", "en", "fr"]),
            word_count=rng.choice([500, 1500, 5000, 12_000, 40_000]),
            kudos_count=rng.choice([0, 0, 3, 10, 250]),
            hits=rng.randint(0, 40),
            updated_at=START + datetime.timedelta(days=rng.choice([0, 10, 200, 900])),
        )
    return names




def assert_same_as_orm(names: list[str], samples: int = 60, seed: int = 1) -> None:
    rng = random.Random(seed)
    for _ in range(samples):
        user = SIGNED_IN if rng.random() < 0.5 else AnonymousUser()
        assert difference(random_criteria(rng, names), user) is None


criteria_strategy = st.builds(
    FilterCriteria,
    tags=st.lists(st.sampled_from(FANDOMS + CHARACTERS + FREEFORMS + ["SGA", "AU", "no such tag"]), max_size=2),
    exclude=st.lists(st.sampled_from(FREEFORMS + ["Stargate Franchise", "AU"]), max_size=2),
    ratings=st.lists(st.sampled_from(RATINGS), max_size=2, unique=True),
    fandoms=st.lists(st.sampled_from(FANDOMS + ["Stargate Franchise"]), max_size=1),
    complete=st.booleans(),
    words_from=st.none() | st.sampled_from([0, 1500, 1501, 12_000]),
    words_to=st.none() | st.sampled_from([1500, 40_000]),
    language=st.sampled_from(["", "en", "fr"]),
    updated_since=st.none() | st.sampled_from([START.date(), datetime.date(2020, 7, 19), datetime.date(2031, 1, 1)]),
    sort=st.sampled_from(list(SORT_COLUMNS)),
    page=st.integers(min_value=1, max_value=4),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(criteria=criteria_strategy, signed_in=st.booleans())
def test_index_pages_equal_orm_pages(corpus, live_index, criteria, signed_in):
    user = SIGNED_IN if signed_in else AnonymousUser()
    assert difference(criteria, user) is None


def test_index_is_really_used(corpus, live_index):
    """Guard against the comparison passing because both sides ran the ORM."""
    assert find_works(FilterCriteria(), AnonymousUser()).total > 0
    assert live_index.index is not None
    live_index.index.public.clear()
    assert find_works(FilterCriteria(), AnonymousUser()).total == 0


@settings(max_examples=200, deadline=None)
@given(a=st.text(max_size=20), b=st.text(max_size=20))
@example(a="ȴ", b="Ø0")  # letters past "z" share one digit: the key must stop there
def test_title_keys_order_like_sort_titles(a, b):
    a, b = sorted([sortable_title(a), sortable_title(b)])
    assert title_key(a) <= title_key(b)
    assert (title_key(a) == title_key(b)) == (a[:TITLE_KEY_LENGTH] == b[:TITLE_KEY_LENGTH]) or not (a + b).isascii()


def test_title_pages_come_from_the_index_in_title_order(corpus, live_index):
    expected = list(Work.objects.visible_to(None).order_by("sort_title", "id").values_list("pk", flat=True))
    shown = []
    for page in range(1, 5):
        shown += [work.pk for work in find_works(FilterCriteria(sort="title", page=page), AnonymousUser()).works]
    assert shown == expected[:80]
    live_index.index.public.clear()  # proves the index, not the ORM, answered
    assert find_works(FilterCriteria(sort="title"), AnonymousUser()).total == 0


def test_new_work_appears_without_rebuild(corpus, live_index):
    find_works(FilterCriteria(), AnonymousUser())  # load the file
    create_work("brand new", tags=["Farscape", "Brand New Tag"], kudos_count=10_000)
    page = find_works(FilterCriteria(tags=["Brand New Tag"], sort="kudos"), AnonymousUser())
    assert [work.title for work in page.works] == ["brand new"]
    assert_same_as_orm(corpus + ["Brand New Tag"])


def test_removed_tag_edited_and_deleted_works_follow(corpus, live_index):
    find_works(FilterCriteria(), AnonymousUser())
    tagged = Work.objects.filter(tags__name="Fluff").order_by("pk")
    first, second, third = tagged[:3]
    WorkTag.objects.filter(work=first, tag__name="Fluff").delete()
    Work.objects.filter(pk=second.pk).update(kudos_count=99_999, complete=True, language="de")
    third.delete()
    fluff = find_works(FilterCriteria(tags=["Fluff"]), SIGNED_IN)
    assert {first.pk, third.pk}.isdisjoint(work.pk for work in fluff.works)
    top = find_works(FilterCriteria(sort="kudos", language="de", complete=True), SIGNED_IN).works
    assert [work.pk for work in top] == ([second.pk] if second.posted else [])
    assert_same_as_orm(corpus, seed=2)


def test_kept_unions_follow_links_added_and_removed(corpus, live_index, monkeypatch):
    monkeypatch.setattr(index_module, "KEEP_UNIONS_OF", 2)  # keep the Stargate scope's union (4 tags)
    franchise = FilterCriteria(fandoms=["Stargate Franchise"], sort="kudos")
    before = find_works(franchise, SIGNED_IN).total
    assert live_index.index._unions  # the union is kept now
    outsider = Work.objects.exclude(tags__name__in=FANDOMS + ["SGA", "Stargate Franchise"]).filter(posted=True).first()
    WorkTag.objects.create(work=outsider, tag=Tag.objects.get(name="SGA"))
    assert find_works(franchise, SIGNED_IN).total == before + 1
    insider = Work.objects.filter(tags__name="Stargate SG-1", posted=True).exclude(tags__name="SGA").first()
    WorkTag.objects.filter(work=insider, tag__name="Stargate SG-1").delete()
    still_in = insider.tags.filter(name__in=["Stargate Atlantis", "Stargate Franchise"]).exists()
    assert find_works(franchise, SIGNED_IN).total == before + 1 - (not still_in)
    assert_same_as_orm(corpus, seed=4)


def test_wrangling_rescopes_without_rebuild(corpus, live_index):
    find_works(FilterCriteria(), AnonymousUser())
    farscape = Tag.objects.get(name="Farscape")
    before = find_works(FilterCriteria(tags=["Farscape"]), SIGNED_IN).total
    create_tag("Blake's 7", TagType.FANDOM).make_synonym_of(farscape)
    create_tag("Angst").add_parent(create_tag("Fluff"))
    assert find_works(FilterCriteria(tags=["Farscape"]), SIGNED_IN).total > before
    assert_same_as_orm(corpus, seed=3)


def test_changes_are_logged_by_triggers_for_bulk_writes(corpus):
    """bulk_create and QuerySet.update bypass signals; the triggers still log them."""
    last = IndexChange.objects.order_by("-id").first().id
    work = Work.objects.first()
    Work.objects.filter(pk=work.pk).update(hits=12345)
    WorkTag.objects.bulk_create([WorkTag(work=work, tag=create_tag("Bulk Tag"))])
    logged = set(IndexChange.objects.filter(id__gt=last).values_list("kind", "work_id"))
    assert logged == {("w", work.pk), ("t", work.pk)}


def test_bulk_loaded_works_arrive_whole_from_their_own_log_rows(corpus, live_index):
    """Generation logs each new work once, not each of its links, and processes still see every link."""
    find_works(FilterCriteria(), AnonymousUser())  # load the file before the bulk load
    last = IndexChange.objects.order_by("-id").first().id
    generate(40, seed=5, batch_size=15)
    logged = list(IndexChange.objects.filter(id__gt=last).values_list("kind", flat=True))
    assert logged.count("w") == 40 and "t" not in logged  # ("g" rows: the tag universe's wrangling)
    new_links = WorkTag.objects.filter(work__import_key__startswith="synthetic:5:")
    assert new_links.count() > 40
    tag = Tag.objects.get(pk=new_links.values_list("tag_id", flat=True).first())
    page = find_works(FilterCriteria(tags=[tag.name], sort="kudos"), SIGNED_IN)
    expected = orm.filtered_works(FilterCriteria(tags=[tag.name], sort="kudos"), SIGNED_IN)[0]
    assert page.total == expected.count() > 0
    assert_same_as_orm(corpus + list(Tag.objects.filter(works__import_key__startswith="synthetic:5:")
                                      .values_list("name", flat=True).distinct()[:30]), seed=4)
    # the trigger is back for everyone else
    WorkTag.objects.create(work=Work.objects.first(), tag=create_tag("After Bulk"))
    assert IndexChange.objects.filter(kind="t", tag_id=Tag.objects.get(name="After Bulk").pk).exists()


def test_summary_edit_is_not_logged_but_title_edit_is(corpus):
    work, last = Work.objects.first(), IndexChange.objects.order_by("-id").first().id
    Work.objects.filter(pk=work.pk).update(summary="new summary")
    assert not IndexChange.objects.filter(id__gt=last).exists()
    work.title = "renamed"
    work.save()
    assert IndexChange.objects.filter(id__gt=last, kind="w", work_id=work.pk).exists()


def test_index_file_round_trip(corpus, tmp_path):
    built = FilterIndex.build(block_size=4)
    built.save(tmp_path / "index.bin")
    loaded = FilterIndex.load(tmp_path / "index.bin")
    assert loaded.tags == built.tags and loaded.public == built.public
    assert loaded.columns["kudos_count"].blocks == built.columns["kudos_count"].blocks
    assert loaded.stats() == built.stats()


def test_orm_engine_setting_bypasses_the_index(corpus, live_index, settings):
    settings.FANARCHIVE_FILTER_ENGINE = "orm"
    live_index.current().public.clear()  # a broken index must not matter
    criteria = FilterCriteria(sort="kudos")
    assert [w.pk for w in find_works(criteria, AnonymousUser()).works] == [
        w.pk for w in orm.find_works(criteria, AnonymousUser()).works
    ]


def test_triggers_come_back_after_a_migration_rebuilds_a_table(corpus):
    """SQLite drops triggers when a migration rebuilds their table; migrate puts them back."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps triggers through ALTER TABLE")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_log_worktag_ins")
    post_migrate.send(sender=apps.get_app_config("search"), app_config=apps.get_app_config("search"), using="default")
    last = IndexChange.objects.order_by("-id").first().id
    WorkTag.objects.create(work=Work.objects.first(), tag=create_tag("After Migrate"))
    assert IndexChange.objects.filter(id__gt=last, kind="t").exists()


def test_rebuild_status_check_and_prune_commands(corpus, live_index, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    (tmp_path / "index.bin").unlink()
    out = StringIO()
    call_command("filter_index", "rebuild", verbosity=0, stdout=out)
    assert f"Indexed {Work.objects.count()} works" in out.getvalue()
    call_command("filter_index", "check", samples=40, seed=5, stdout=out)
    assert "40 random filters (seed 5): 0 differ" in out.getvalue()
    replay_from = FilterIndex.load(tmp_path / "index.bin").replay_from  # SQLite: every row so far
    call_command("filter_index", "prune", keep_hours=0, stdout=out)
    assert not IndexChange.objects.filter(id__lte=replay_from).exists()
    call_command("filter_index", "status", stdout=out)
    assert "log pending: 0 changes" in out.getvalue()


def test_rebuild_text_command_keeps_search_answering(corpus):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from fanarchive.search import fulltext

    Chapter.objects.update(body="<p>Rebuilt beacon.</p>")
    before = fulltext.scores(fulltext.parse("beacon"))
    out = StringIO()
    call_command("filter_index", "rebuild-text", workers=2, stdout=out)
    assert "Rebuilt the full-text index" in out.getvalue()
    if connection.vendor == "postgresql":  # it says how chapters were parsed
        assert " with the fanarchive_text extension " in out.getvalue() or " with PostgreSQL's to_tsvector " in out.getvalue()
    assert fulltext.scores(fulltext.parse("beacon")) == before
    assert set(before) == set(Chapter.objects.filter(posted=True).values_list("work_id", flat=True))
