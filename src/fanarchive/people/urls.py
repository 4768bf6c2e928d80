from django.urls import path

from fanarchive.people import views

app_name = "people"
urlpatterns = [
    path("<path:name>/", views.pseud_detail, name="pseud"),
]
