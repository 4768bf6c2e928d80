"""The work-page cache asks the filter index, not the database, whether a work is public."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.search.scale import public_work_stamp
from fanarchive.works.models import Work
from fanarchive.works.page_cache import CACHE_HEADER
from fanarchive.works.tests.factories import create_work

pytestmark = pytest.mark.django_db


def test_the_index_answers_visibility_and_follows_changes_from_the_log(client, live_index):
    work = create_work("Indexed", chapters=["<p>Words.</p>"])
    hidden = create_work("Members only", restricted=True)
    live_index.current()  # catch up with the works created after the build
    with CaptureQueriesContext(connection) as queries:
        stamp = public_work_stamp(work.pk)
    assert stamp is not None and public_work_stamp(hidden.pk) is None
    assert not [q for q in queries if "works_work" in q["sql"]]  # no visibility query

    assert client.get(work.get_absolute_url())[CACHE_HEADER] == "miss"
    assert client.get(work.get_absolute_url())[CACHE_HEADER] == "hit"
    later = work.updated_at + datetime.timedelta(minutes=5)
    Work.objects.filter(pk=work.pk).update(title="Retitled", updated_at=later)  # logged, no signal
    response = client.get(work.get_absolute_url())
    assert response[CACHE_HEADER] == "miss" and "Retitled" in response.content.decode()
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert client.get(work.get_absolute_url()).status_code == 404


def test_an_id_too_large_for_the_bitmaps_is_a_plain_404(client, live_index):
    assert client.get(f"/works/{2**40}/").status_code == 404
