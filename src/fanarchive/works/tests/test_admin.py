"""Editing works in the admin sanitizes user HTML and keeps totals right."""

import pytest
from django.contrib.auth.models import User

from fanarchive.works.models import Work
from fanarchive.works.tests.factories import create_work

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }  # fmt: skip


def test_saving_a_work_in_the_admin_sanitizes_html_and_recounts_words(client):
    client.force_login(User.objects.create_superuser("editor", password="x-secret-123"))
    work = create_work("Edited", chapters=["<p>old</p>"])
    chapter = work.chapters.get()
    data = {
        "title": "Edited",
        "summary": '<p onmouseover="x()">Sum<script>bad()</script></p>',
        "notes": "", "end_notes": "", "disclaimer": "",
        "language": "en", "expected_chapters": "", "posted": "on",
        "published_at_0": "2024-01-01", "published_at_1": "10:00:00",
        "updated_at_0": "2024-01-02", "updated_at_1": "10:00:00",
        **management("work_tags", 0, 0),
        **management("chapters", 1, 1),
        "chapters-0-id": str(chapter.pk), "chapters-0-work": str(work.pk),
        "chapters-0-position": "1", "chapters-0-title": "", "chapters-0-posted": "on",
        "chapters-0-published_at_0": "2024-01-01", "chapters-0-published_at_1": "10:00:00",
        "chapters-0-summary": "", "chapters-0-notes": "", "chapters-0-end_notes": "",
        "chapters-0-body": '<p>three new words<img src="x" onerror="alert(1)"></p><script>alert(2)</script>',
    }  # fmt: skip
    response = client.post(f"/admin/works/work/{work.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    work = Work.objects.get(pk=work.pk)
    chapter.refresh_from_db()
    assert "script" not in work.summary and "onmouseover" not in work.summary
    assert "onerror" not in chapter.body and "alert(2)" not in chapter.body
    assert "three new words" in chapter.body
    assert work.word_count == 3 == chapter.word_count


@pytest.mark.parametrize("model", ["works/work", "works/series", "people/pseud", "tags/tag"])
def test_admin_list_add_and_change_pages_render(client, model):
    client.force_login(User.objects.create_superuser("editor", password="x-secret-123"))
    work = create_work("Listed", tags=["Fluff"], creators=["Some Pseud"])
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200
    if model == "works/work":
        html = client.get(f"/admin/works/work/{work.pk}/change/").content.decode()
        assert "Once upon a time." in html and "Fluff" in html
