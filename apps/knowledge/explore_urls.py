from django.urls import path

from apps.knowledge import explore_views

app_name = "explore"

urlpatterns = [
    path("", explore_views.explore_index, name="index"),
    path("<str:kind>/", explore_views.explore_kind, name="kind"),
]
