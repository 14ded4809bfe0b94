"""Editors' curation URLs: /findings/<kind>/<id>/... and, for sources, /sources/<id>/...

config/urls.py mounts `urlpatterns` at findings/ (namespace "findings") and
`source_patterns` at sources/<int:item_id>/ (namespace "source_curation", kind "sources").
"""

from django.urls import path, register_converter

from apps.knowledge import finding_views as views
from apps.knowledge.models import FINDING_MODELS


class KindConverter:
    """Only the four kinds of finding match, so any other word is a 404 before a view runs."""

    regex = "|".join(FINDING_MODELS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "findings"

urlpatterns = [
    path("themes/suggestions/", views.theme_suggestions, name="theme_choices"),
    path("<kind:kind>/add/<int:source_id>/", views.finding_create, name="create"),
    path("<kind:kind>/<int:item_id>/", views.finding_row, name="row"),
    path("<kind:kind>/<int:item_id>/edit/", views.finding_edit, name="edit"),
    path("<kind:kind>/<int:item_id>/relevancy/", views.finding_relevancy, name="relevancy"),
    path("<kind:kind>/<int:item_id>/delete/", views.finding_delete, name="delete"),
    path("<kind:kind>/<int:item_id>/history/", views.history, name="history"),
    path("<kind:kind>/<int:item_id>/themes/", views.theme_add, name="theme_add"),
    path(
        "<kind:kind>/<int:item_id>/themes/<int:theme_id>/remove/",
        views.theme_remove,
        name="theme_remove",
    ),
]

source_patterns = [
    path("themes/", views.theme_add, name="theme_add"),
    path("themes/<int:theme_id>/remove/", views.theme_remove, name="theme_remove"),
    path("history/", views.history, name="history"),
]
