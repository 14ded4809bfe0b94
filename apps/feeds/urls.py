"""Feed subscriptions: /feeds/ and the actions on one feed."""

from django.urls import path

from apps.feeds import views

app_name = "feeds"

urlpatterns = [
    path("", views.feed_index, name="list"),
    path("add/", views.add, name="add"),
    path("opml/import/", views.opml_import, name="opml_import"),
    path("opml/export/", views.opml_export, name="opml_export"),
    path("<int:feed_id>/", views.detail, name="detail"),
    path("<int:feed_id>/pause/", views.pause, name="pause"),
    path("<int:feed_id>/resume/", views.resume, name="resume"),
    path("<int:feed_id>/poll/", views.poll_now, name="poll"),
    path("<int:feed_id>/adopt/", views.adopt, name="adopt"),
    path("<int:feed_id>/delete/", views.delete, name="delete"),
]
