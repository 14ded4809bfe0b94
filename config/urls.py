from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("apps.sources.urls")),
    path("themes/", include("apps.knowledge.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
