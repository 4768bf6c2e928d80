from django.urls import path

app_name = "works"
urlpatterns: list = []
