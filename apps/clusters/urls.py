from django.urls import path

from apps.clusters import views

app_name = "clusters"

urlpatterns = [
    path("", views.cluster_index, name="index"),
    path("<int:cluster_id>/", views.cluster_detail, name="detail"),
    path("<int:cluster_id>/confirm/", views.cluster_confirm, name="confirm"),
    path("<int:cluster_id>/rename/", views.cluster_rename, name="rename"),
    path("<int:cluster_id>/split/", views.cluster_split, name="split"),
    path("<int:cluster_id>/remove/", views.cluster_remove, name="remove"),
    path("<int:cluster_id>/not-same/", views.cluster_not_same, name="not_same"),
]
