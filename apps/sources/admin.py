"""Admin for sources, read-mostly: edits go through the pages so provenance is kept."""

from django.contrib import admin
from django.http import HttpRequest

from apps.knowledge.models import Behavior, Issue, Signal, Technology
from apps.sources.models import ExtraSection, Source, SourceKeyword, SourceTheme


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SignalInline(ReadOnlyInline):
    model = Signal
    fields = ("position", "name", "description", "change", "ten_year", "driving_force", "relevancy")


class BehaviorInline(ReadOnlyInline):
    model = Behavior
    fields = ("position", "name", "description", "relevancy")


class TechnologyInline(ReadOnlyInline):
    model = Technology
    fields = ("position", "name", "description", "relevancy")


class IssueInline(ReadOnlyInline):
    model = Issue
    fields = ("position", "name", "description", "relevancy")


class ThemeLinkInline(ReadOnlyInline):
    model = SourceTheme
    fields = ("position", "theme", "origin")


class KeywordLinkInline(ReadOnlyInline):
    model = SourceKeyword
    fields = ("position", "label", "keyword", "origin")


class ExtraSectionInline(ReadOnlyInline):
    model = ExtraSection
    fields = ("position", "heading", "body")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "canonical_url", "status", "category", "submitted_at")
    list_filter = ("status", "category", "source_type")
    search_fields = ("title", "canonical_url")
    list_select_related = ("category",)
    date_hierarchy = "submitted_at"
    fields = (
        ("title", "status"),
        ("url", "canonical_url", "final_url"),
        ("via_label", "via_url"),
        ("site_name", "author", "published_on", "language"),
        ("category", "source_type"),
        "summary",
        "other_fields",
        ("origin", "version", "submitted_by", "submitted_at", "updated_at", "updated_by"),
    )
    inlines = [
        ThemeLinkInline,
        KeywordLinkInline,
        SignalInline,
        BehaviorInline,
        TechnologyInline,
        IssueInline,
        ExtraSectionInline,
    ]

    # View and delete only: an edit here would skip the provenance and the audit trail.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
