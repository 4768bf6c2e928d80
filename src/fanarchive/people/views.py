"""Creator pages."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fanarchive.people.models import Pseud
from fanarchive.search.filters import parse_page
from fanarchive.search.results import paginate
from fanarchive.works.models import Work


@require_safe
def pseud_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A creator and the works they may be seen to have made, newest update first."""
    pseud = None
    if "\x00" not in name:  # PostgreSQL refuses NUL in text; no name holds one
        pseud = Pseud.objects.annotate(lower_name=Lower("name")).filter(lower_name=name.lower()).first()
    if pseud is None:
        raise Http404(f"No creator named {name}.")
    notices: list[str] = []
    page = parse_page(request.GET.get("page", ""), notices)
    works = Work.objects.visible_to(request.user).filter(creators=pseud).order_by("-updated_at", "-id")
    return render(request, "people/pseud_detail.html", {"pseud": pseud, "result": paginate(works, page, notices)})
