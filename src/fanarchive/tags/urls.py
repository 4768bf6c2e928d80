from django.urls import path

from fanarchive.tags import views

app_name = "tags"
urlpatterns = [
    path("autocomplete", views.autocomplete, name="autocomplete"),
    path("<path:name>/", views.tag_detail, name="tag"),
]
