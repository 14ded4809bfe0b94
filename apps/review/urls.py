"""The review queue: /review/ and its actions on one finding."""

from django.urls import path

from apps.knowledge import finding_urls  # noqa: F401  (registers the "kind" converter)
from apps.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<kind:kind>/<int:item_id>/accept/", views.accept, name="accept"),
    path("<kind:kind>/<int:item_id>/delete/", views.delete, name="delete"),
]
