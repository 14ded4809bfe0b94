"""A source: one page that was submitted or imported, and the record made from it."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Curated, Origin
from apps.knowledge.models import Category, Keyword, SourceType, Theme, ThemeLink


class Source(Curated):
    EDITABLE_FIELDS = ("title", "summary", "category", "source_type", "keywords")

    class Status(models.TextChoices):
        QUEUED = "queued"
        FETCHING = "fetching"
        EXTRACTING = "extracting"
        CLASSIFYING = "classifying"
        RETRYING = "retrying"
        DONE = "done"
        FAILED = "failed"
        BLOCKED = "blocked"
        NO_CONTENT = "no_content", "No content"

    class Stage(models.TextChoices):
        FETCH = "fetch"
        EXTRACT = "extract"
        CLASSIFY = "classify"

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

    # Pipeline state. `stage` is the stage the source is in or will run next; `attempts`
    # counts tries of that stage. The database holds the state, the broker only ids.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FETCH)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The Celery node (e.g. "fetch@host") holding the source's task, received or running, so
    # it is sent again as soon as that worker restarts, reconnects or stops reporting
    # (apps/sources/pipeline/holders.py).
    claimed_by = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The host slot reserved for the next fetch (pipeline/politeness.py): a fetch that holds
    # one runs without asking again, so per-host politeness costs no extra task.
    fetch_slot = models.DateTimeField(null=True, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_message = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    charset = models.CharField(max_length=40, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # A classifier an editor asked for on the next run; blank: SPYGLASS_CLASSIFIER.
    next_classifier = models.CharField(max_length=20, blank=True)
    # The editor who asked for that run: its ClassificationRun records them.
    classify_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    keywords = models.ManyToManyField(Keyword, through="SourceKeyword", related_name="sources")
    themes = models.ManyToManyField(Theme, through="SourceTheme", related_name="sources")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["failure_code"]),
            # The sources list's title sort (SOURCE_ORDERINGS); the publication-date sorts
            # have theirs in migration 0009 (PostgreSQL only: they say NULLS LAST).
            models.Index(Lower("title"), F("id"), name="sources_title"),
        ]

    def __str__(self) -> str:
        return self.title or self.canonical_url

    def get_absolute_url(self) -> str:
        return reverse("sources:detail", args=[self.pk])


class Submission(models.Model):
    """One analyst asking for one URL: a new source, or one already in the base."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    url = models.URLField("URL as submitted", max_length=2048)
    note = models.TextField(blank=True)
    created_source = models.BooleanField(default=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["submitted_by", "-submitted_at"])]

    def __str__(self) -> str:
        return self.url


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
        indexes = [
            models.Index(fields=["theme", "source"], name="sources_theme_item"),
            models.Index(fields=["theme", "added_at"], name="sources_theme_added"),
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


class ClassificationRun(models.Model):
    """One classifier run on one source: what ran, what it answered, how it ended.

    Kept for every run, good or bad, so a record can be re-run and the answers compared.
    """

    class Outcome(models.TextChoices):
        APPLIED = "applied"
        FAILED = "failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="classification_runs")
    classifier = models.CharField(max_length=40)
    model = models.CharField(max_length=200, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    # The `llm` classifier's output mode (docs/llm.md) and how many parts the text was sent in.
    output_mode = models.CharField(max_length=20, blank=True)
    chunks = models.PositiveSmallIntegerField(null=True, blank=True)
    raw_response = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.classifier} on {self.source_id}: {self.outcome}"

    @property
    def duration_label(self) -> str:
        if self.duration_ms < 1000:
            return f"{self.duration_ms} ms"
        return f"{self.duration_ms / 1000:.1f} s"


class HostSlot(models.Model):
    """When the next fetch from one host may start: per-host politeness across workers.

    A fetch reserves the host's next free slot in one short transaction and, if that slot
    is later, is scheduled for it once. The database is shared by every worker (also on the
    embedded default, where the cache is per process), so two workers never fetch from one
    host closer together than SPYGLASS_HOST_DELAY.
    """

    host = models.CharField(max_length=255, unique=True)
    next_free = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.host} free at {self.next_free:%H:%M:%S}"
