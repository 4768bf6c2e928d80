from django.urls import path

from fanarchive.tags.views import fandom_index
from fanarchive.works import views

app_name = "works"
urlpatterns = [
    path("", views.home, name="home"),
    path("works/", views.work_index, name="index"),
    path("works/timeline.json", views.timeline_json, name="timeline"),
    path("works/<int:work_id>/", views.work_detail, name="work"),
    path("works/<int:work_id>/chapters/<int:position>/", views.chapter_detail, name="chapter"),
    path("works/<int:work_id>/navigate/", views.chapter_jump, name="chapter_jump"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("fandoms/", fandom_index, name="fandoms"),
    path("skin/", views.set_skin, name="skin"),
]
