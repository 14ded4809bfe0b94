from django.urls import path

from apps.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/<int:source_id>/", views.source_detail, name="detail"),
]
