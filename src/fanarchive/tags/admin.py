"""Tag wrangling in the admin: merge synonyms, place tags under parents, make tags canonical.

Every save goes through the model's wrangling helpers (or bumps the wrangling
generation), so cached filter scopes refresh at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from fanarchive.tags.models import Tag, TagParent, note_wrangling_changed


class ParentLinkFormSet(forms.BaseInlineFormSet):
    """Refuse parents that would make a loop or that are not canonical."""

    def clean(self) -> None:
        super().clean()
        child = self.instance
        below = Tag.descendant_ids([child.pk]) if child.pk else set()
        for form in self.forms:
            parent = form.cleaned_data.get("parent")
            if not parent or form.cleaned_data.get("DELETE"):
                continue
            if parent.pk == child.pk or parent.pk in below:
                raise ValidationError(f"“{parent}” is below “{child}” already; that would make a loop.")
            if not parent.canonical:
                raise ValidationError(f"“{parent}” is not canonical, so it cannot be a parent.")


class ParentInline(admin.TabularInline):
    model = TagParent
    fk_name = "child"
    formset = ParentLinkFormSet
    autocomplete_fields = ["parent"]
    extra = 1
    verbose_name = "parent tag"
    verbose_name_plural = "parent tags"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger", "works_count"]
    list_filter = ["type", "canonical"]
    search_fields = ["name"]
    autocomplete_fields = ["merger"]
    readonly_fields = ["works_count", "created_at"]
    fields = ["name", "type", "canonical", "merger", "works_count", "created_at"]
    inlines = [ParentInline]
    actions = ["make_canonical"]
    list_select_related = ["merger"]

    def save_model(self, request, obj: Tag, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.merger_id and "merger" in form.changed_data:
            # Moves the tag's own synonyms along and drops its parents.
            obj.make_synonym_of(obj.merger)
        elif {"merger", "canonical", "type"} & set(form.changed_data):
            note_wrangling_changed()

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            note_wrangling_changed()

    @admin.action(description="Make the selected tags canonical")
    def make_canonical(self, request, queryset) -> None:
        updated = queryset.filter(canonical=False).update(canonical=True, merger=None)
        note_wrangling_changed()
        self.message_user(request, f"{updated} tag(s) made canonical.", messages.SUCCESS)
