from django.urls import path

from apps.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.theme_index, name="theme_index"),
    path("<str:slug>/", views.theme_detail, name="theme"),
]
