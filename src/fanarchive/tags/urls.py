from django.urls import path

app_name = "tags"
urlpatterns: list = []
