from django.urls import path

from apps.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.theme_index, name="theme_index"),
    # Before "<str:slug>/": a theme slugged "proposed" would otherwise take the queue's URL.
    path("proposed/", views.theme_proposed, name="theme_proposed"),
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
    path("<str:slug>/", views.theme_detail, name="theme"),
]
