"""Admin views of the audit trail and worker heartbeats: records of fact, never edited."""

from django.contrib import admin
from django.http import HttpRequest

from apps.core.models import AuditEntry, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "origin", "action", "target_type", "target_repr", "field")
    list_filter = ("action", "origin", "target_type")
    search_fields = ("target_repr", "field")
    list_select_related = ("actor", "target_type")
    date_hierarchy = "at"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("hostname", "seen_at", "beats")
    ordering = ("hostname",)
