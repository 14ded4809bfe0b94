from django.contrib import admin
from django.urls import include, path

from apps.core import views as core_views
from apps.knowledge import finding_urls
from config.api import api

urlpatterns = [
    path("", core_views.home, name="dashboard"),
    path("", include("apps.sources.urls")),
    path("findings/", include("apps.knowledge.finding_urls")),
    path(
        "sources/<int:item_id>/",
        include((finding_urls.source_patterns, "source_curation")),
        {"kind": "sources"},
    ),
    path("explore/", include("apps.knowledge.explore_urls")),
    path("themes/", include("apps.knowledge.urls")),
    path("review/", include("apps.review.urls")),
    path("digest/", include("apps.digests.urls")),
    path("clusters/", include("apps.clusters.urls")),
    path("feeds/", include("apps.feeds.urls")),
    path("trends/", include("apps.trends.urls")),
    path("radar/", include("apps.radar.urls")),
    path("search/", include("apps.search.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("favicon.ico", core_views.favicon),
    path("metrics", core_views.metrics, name="metrics"),
]
