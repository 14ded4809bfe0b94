"""A source: one page that was submitted or imported, and the record made from it."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core.models import Curated, Origin
from apps.knowledge.models import Category, Keyword, SourceType, Theme, ThemeLink


class Source(Curated):
    EDITABLE_FIELDS = ("title", "summary", "category", "source_type", "keywords")

    class Status(models.TextChoices):
        QUEUED = "queued"
        DONE = "done"

    url = models.URLField("submitted URL", max_length=2048)
    canonical_url = models.URLField(max_length=2048, unique=True)
    final_url = models.URLField(max_length=2048, blank=True)
    via_url = models.URLField("via URL", max_length=2048, blank=True)
    via_label = models.CharField(max_length=300, blank=True)

    title = models.CharField(max_length=500, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    source_type = models.ForeignKey(
        SourceType, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    summary = models.TextField(blank=True)
    # Items of the record's "Other" list beyond Category and Type, as [label, value] pairs.
    other_fields = models.JSONField(default=list, blank=True)

    extracted_text = models.TextField(blank=True)
    # Raw fetched bytes, zlib-compressed, for re-extraction only: never served as HTML.
    raw_content = models.BinaryField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    keywords = models.ManyToManyField(Keyword, through="SourceKeyword", related_name="sources")
    themes = models.ManyToManyField(Theme, through="SourceTheme", related_name="sources")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return self.title or self.canonical_url

    def get_absolute_url(self) -> str:
        return reverse("sources:detail", args=[self.pk])


class SourceKeyword(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="keyword_links")
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    # The spelling this source used ("LLMs"), while the keyword row unifies variants.
    label = models.CharField(max_length=200)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.IMPORT)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "keyword"], name="sources_keyword_unique")
        ]

    def __str__(self) -> str:
        return self.label


class SourceTheme(ThemeLink):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["source", "theme"], name="sources_theme_unique")
        ]


class ExtraSection(models.Model):
    """A record section Spyglass has no table for (e.g. "Concerns"), kept verbatim."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="extra_sections")
    position = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading
