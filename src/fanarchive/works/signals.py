"""Retire cached pages when what they show is saved (see :mod:`fanarchive.works.page_cache`).

Signals miss bulk writes (``bulk_create``, ``QuerySet.update``); the page
cache covers those through ``updated_at``, the visibility check and the
index generation, and at worst through its short TTL.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from fanarchive.people.models import Pseud
from fanarchive.tags.models import Tag
from fanarchive.works.models import Chapter, SeriesPart, Work, WorkTag
from fanarchive.works.page_cache import note_site_changed, note_work_changed


def _work_saved(sender, instance: Work, **kwargs) -> None:
    note_work_changed(instance.pk)


def _part_saved(sender, instance: Chapter | WorkTag, **kwargs) -> None:
    note_work_changed(instance.work_id)


def _series_changed(sender, instance: SeriesPart, **kwargs) -> None:
    """A series place moved: every work of the series links its neighbours."""
    note_work_changed(instance.work_id)
    for work_id in SeriesPart.objects.filter(series_id=instance.series_id).values_list("work_id", flat=True):
        note_work_changed(work_id)


def _links_changed(sender, instance, action: str, reverse: bool, pk_set: set[int] | None, **kwargs) -> None:
    """Tags or creators added to or removed from works (from either side of the relation)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        note_work_changed(instance.pk)
    else:
        for work_id in pk_set or ():
            note_work_changed(work_id)
        if action == "post_clear":
            note_site_changed()


def _renamed(sender, created: bool = False, **kwargs) -> None:
    """A tag or pseud edited or deleted (any page may show its name); a new one shows nowhere yet."""
    if not created:
        note_site_changed()


def connect() -> None:
    """Connect the handlers (called once, from the app config)."""
    for model, handler in ((Work, _work_saved), (Chapter, _part_saved), (WorkTag, _part_saved),
                           (SeriesPart, _series_changed), (Tag, _renamed), (Pseud, _renamed)):  # fmt: skip
        post_save.connect(handler, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
    for through in (Work.tags.through, Work.creators.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through.__name__}")
