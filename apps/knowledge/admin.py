"""Admin for the vocabularies. Findings are edited on the source pages, with provenance."""

from django.contrib import admin

from apps.knowledge.models import Category, Keyword, SourceType, Theme, ThemeAlias


@admin.register(Category, SourceType)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ThemeAliasInline(admin.TabularInline):
    model = ThemeAlias
    extra = 0
    fields = ("name", "key")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "merged_into")
    list_filter = ("status",)
    search_fields = ("name", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("merged_into",)
    inlines = [ThemeAliasInline]


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key")
