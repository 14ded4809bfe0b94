"""/trends/: charts of signals and sources over time, and the emerging themes."""

from django.urls import path

from apps.trends import views

app_name = "trends"

urlpatterns = [
    path("", views.index, name="index"),
    path("emerging/", views.emerging, name="emerging"),
]
