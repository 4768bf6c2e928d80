"""Works, chapters and series in the admin. User HTML is sanitized on save, as on every other way in."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import strip_tags

from fanarchive.sanitize import clean_html
from fanarchive.works.models import Chapter, Series, SeriesPart, Work, WorkTag

#: Fields holding user HTML, per model.
HTML_FIELDS = {
    Work: ["summary", "notes", "end_notes", "disclaimer"],
    Chapter: ["summary", "notes", "end_notes", "body"],
    Series: ["summary", "notes"],
}


def sanitize_fields(obj) -> None:
    """Clean every user-HTML field of ``obj`` in place."""
    for name in HTML_FIELDS.get(type(obj), []):
        setattr(obj, name, clean_html(getattr(obj, name)))


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ["position", "title", "posted", "published_at", "summary", "notes", "body", "end_notes", "word_count"]
    readonly_fields = ["word_count"]


class WorkTagInline(admin.TabularInline):
    model = WorkTag
    autocomplete_fields = ["tag"]
    extra = 1
    verbose_name = "tag"


class SeriesPartInline(admin.TabularInline):
    model = SeriesPart
    raw_id_fields = ["work"]
    extra = 1


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "posted", "restricted", "complete", "word_count", "chapters_label", "updated_at"]
    list_filter = ["posted", "restricted", "complete", "language"]
    search_fields = ["title"]
    autocomplete_fields = ["creators"]
    readonly_fields = ["word_count", "chapter_count", "hits", "kudos_count", "bookmarks_count", "comments_count"]
    date_hierarchy = "updated_at"
    inlines = [WorkTagInline, ChapterInline]

    def save_model(self, request, obj: Work, form, change: bool) -> None:
        sanitize_fields(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        for row in formset.save(commit=False):
            sanitize_fields(row)
            if isinstance(row, Chapter):
                row.word_count = len(strip_tags(row.body).split())
            row.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        work = form.instance
        work.refresh_totals()
        work.save(update_fields=["word_count", "chapter_count"])


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "complete", "updated_at"]
    search_fields = ["title"]
    autocomplete_fields = ["creators"]
    inlines = [SeriesPartInline]

    def save_model(self, request, obj: Series, form, change: bool) -> None:
        sanitize_fields(obj)
        super().save_model(request, obj, form, change)
