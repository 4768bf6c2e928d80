"""The change log that keeps every app server's filter index current.

Rows are written by database triggers (see migration 0001), so every write
path — ``save()``, ``bulk_create``, ``QuerySet.update``, cascading deletes,
raw SQL — is logged in the same transaction as the change itself. Each
process reads the rows newer than the last one it applied and re-reads just
those works (see :mod:`fanarchive.search.index`).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now


class ChangeKind(models.TextChoices):
    WORK = "w", "work row written or deleted"
    WORK_TAG = "t", "tag added to or removed from a work"
    WRANGLING = "g", "synonym or parent link changed"


class IndexChange(models.Model):
    """One logged write: the work (and tag) it touched, or a wrangling change."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=1, choices=ChangeKind.choices)
    work_id = models.BigIntegerField(null=True)
    tag_id = models.BigIntegerField(null=True)
    logged_at = models.DateTimeField(db_default=Now(), help_text="When the row was logged (pruning keeps recent rows).")

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} work={self.work_id} tag={self.tag_id}"
