from django.urls import path

from apps.digests import views

app_name = "digests"

urlpatterns = [
    path("", views.digest, name="digest"),
    path("settings/", views.digest_settings, name="settings"),
    path("follow/<int:theme_id>/", views.follow, name="follow"),
    path("unfollow/<int:theme_id>/", views.unfollow, name="unfollow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
