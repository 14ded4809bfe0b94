from django.urls import path

from apps.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.theme_index, name="theme_index"),
    # Fixed pages live under "-/": a slug never starts with a hyphen (name_key strips it), so
    # no theme name can shadow them, as a theme named "proposed" once hid the queue.
    path("-/proposed/", views.theme_proposed, name="theme_proposed"),
    path("-/new/", views.theme_create, name="theme_create"),
    path("<int:theme_id>/accept/", views.theme_accept, name="theme_accept"),
    path("<int:theme_id>/reject/", views.theme_reject, name="theme_reject"),
    path("<int:theme_id>/rename/", views.theme_rename, name="theme_rename"),
    path("<int:theme_id>/merge/", views.theme_merge, name="theme_merge"),
    path("<int:theme_id>/aliases/", views.theme_alias_add, name="theme_alias_add"),
    path(
        "<int:theme_id>/aliases/<int:alias_id>/remove/",
        views.theme_alias_remove,
        name="theme_alias_remove",
    ),
    path("<int:theme_id>/see-also/", views.theme_relate, name="theme_relate"),
    path(
        "<int:theme_id>/see-also/<int:other_id>/remove/",
        views.theme_unrelate,
        name="theme_unrelate",
    ),
    path("<str:slug>/", views.theme_detail, name="theme"),
]
