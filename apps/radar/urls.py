"""/radar/: the technology radar and its downloads."""

from django.urls import path

from apps.radar import views

app_name = "radar"

urlpatterns = [
    path("", views.index, name="index"),
    path("radar.svg", views.download_svg, name="svg"),
    path("radar.csv", views.download_csv, name="csv"),
    path("radar.json", views.download_json, name="json"),
]
