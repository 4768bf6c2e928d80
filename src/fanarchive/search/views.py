"""``/search/``: an alias of the works filter, so old links and habits keep working."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def search(request: HttpRequest) -> HttpResponseRedirect:
    """Send the query on to the works filter unchanged."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("works:index") + (f"?{query}" if query else ""))
