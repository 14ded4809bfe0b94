"""Admin for digest state: who follows what, and when each user's last digest went out."""

from django.contrib import admin

from apps.digests.models import DigestPreference, Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "theme", "created_at")
    list_select_related = ("user", "theme")
    search_fields = ("user__username", "theme__name")
    raw_id_fields = ("user", "theme")


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "min_relevancy", "last_sent_at", "claimed_at")
    list_filter = ("frequency",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
