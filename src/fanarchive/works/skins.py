"""Reader skins: light, dark, or "auto" (the system's choice), remembered in a cookie."""

from __future__ import annotations

from django.http import HttpRequest

SKINS = ("light", "dark")
SKIN_COOKIE = "skin"


def chosen_skin(request: HttpRequest | None) -> str:
    """The skin picked with the toggle ("light"/"dark"), or "auto" for the system's choice."""
    skin = request.COOKIES.get(SKIN_COOKIE, "") if request else ""
    return skin if skin in SKINS else "auto"
