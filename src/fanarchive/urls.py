"""The archive's URL map: one include per domain app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fanarchive.works.urls")),
    path("tags/", include("fanarchive.tags.urls")),
    path("people/", include("fanarchive.people.urls")),
    path("search/", include("fanarchive.search.urls")),
    path("admin/", admin.site.urls),
]
