from django.urls import path

from apps.sources import views

app_name = "sources"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/recent/", views.submit_recent, name="submit_recent"),
    path("submit/reingest/", views.submit_reingest, name="submit_reingest"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/counts/", views.pipeline_counts, name="pipeline_counts"),
    path("pipeline/retry/", views.retry_failed, name="retry_failed"),
    path("sources/", views.source_list, name="list"),
    path("sources/<int:source_id>/", views.source_detail, name="detail"),
    path("sources/<int:source_id>/retry/", views.source_retry, name="retry"),
    path("sources/<int:source_id>/reclassify/", views.source_reclassify, name="reclassify"),
    path("sources/<int:source_id>/paste/", views.source_paste, name="paste"),
    path("sources/<int:source_id>/upload/", views.source_upload, name="upload"),
]
