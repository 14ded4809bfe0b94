"""The knowledge: vocabularies (themes, categories, types, keywords) and typed findings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.models import Curated, Origin


class Vocabulary(models.Model):
    """A small editable list of named values (categories, source types)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name_plural = "categories"


class SourceType(Vocabulary):
    pass


class Keyword(models.Model):
    """A keyword as a vocabulary entry; each source keeps its own spelling on the link."""

    key = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved"
        PROPOSED = "proposed"
        MERGED = "merged"
        REJECTED = "rejected"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_themes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:theme", args=[self.slug])


class ThemeAlias(models.Model):
    """Another spelling that means the theme (also the old name of a merged theme)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)
    key = models.CharField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "theme aliases"

    def __str__(self) -> str:
        return self.name


class ThemeSuggestion(models.Model):
    """A classifier proposed a theme for a source; the link waits for an editor's decision.

    Accepting the theme (or merging it into an approved one) links every source that
    suggested it; rejecting it drops the suggestions and remembers the name.
    """

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="suggestions")
    source = models.ForeignKey(
        "sources.Source", on_delete=models.CASCADE, related_name="theme_suggestions"
    )
    name = models.CharField("name as suggested", max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "source"], name="knowledge_suggestion_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Finding(Curated):
    """What every finding shares: a source, a name, a description, a relevancy 1-5."""

    EDITABLE_FIELDS: tuple[str, ...] = ("name", "description", "relevancy")

    source = models.ForeignKey(
        "sources.Source", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    relevancy = models.PositiveSmallIntegerField(null=True, blank=True)
    # How sure the classifier was (0 to 1); empty for editors' and imported findings.
    confidence = models.FloatField(null=True, blank=True)
    # When an editor accepted, edited or rated a finding (docs/curation.md, "Review").
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The source's date (publication, else the UTC day it was submitted), copied here by
    # database triggers (migration 0007) so the explorer's sorts run on one table's index
    # instead of sorting every finding joined to its source (docs/performance.md).
    sort_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["source_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relevancy__isnull=True) | Q(relevancy__gte=1, relevancy__lte=5),
                name="%(app_label)s_%(class)s_relevancy_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["relevancy"], name="%(app_label)s_%(class)s_rel"),
            # The review queue: unreviewed machine findings, least sure first.
            models.Index(
                fields=["origin", "reviewed_at", "confidence"],
                name="%(app_label)s_%(class)s_review",
            ),
            # The dashboard's newest signals.
            models.Index(fields=["-created_at"], name="%(app_label)s_%(class)s_created"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reviewed(self) -> bool:
        """An editor made or vouched for it: added, accepted, edited or rated it."""
        return is_reviewed(self.origin, self.reviewed_at)

    @property
    def draft(self) -> bool:
        """A machine's finding below the confidence threshold that no editor has reviewed."""
        return is_draft(self.origin, self.reviewed_at, self.confidence)


# The rules of Finding.reviewed and Finding.draft on plain column values, for readers that
# build no instances (the findings export); apps/knowledge/drafts.py has them as queries.
def is_reviewed(origin: str, reviewed_at) -> bool:
    return origin != Origin.AI or reviewed_at is not None


def is_draft(origin: str, reviewed_at, confidence: float | None) -> bool:
    return (
        not is_reviewed(origin, reviewed_at)
        and confidence is not None
        and confidence < settings.SPYGLASS_DRAFT_CONFIDENCE
    )


class Signal(Finding):
    EDITABLE_FIELDS = (*Finding.EDITABLE_FIELDS, "change", "ten_year", "driving_force")

    change = models.TextField(blank=True)
    ten_year = models.TextField("10-year outlook", blank=True)
    driving_force = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, through="SignalTheme", related_name="signals")

    class Meta(Finding.Meta):
        pass


class Behavior(Finding):
    themes = models.ManyToManyField(Theme, through="BehaviorTheme", related_name="behaviors")

    class Meta(Finding.Meta):
        pass


class Technology(Finding):
    # Spelled out so the reverse accessor reads `source.technologies`, not "technologys".
    source = models.ForeignKey(
        "sources.Source", on_delete=models.CASCADE, related_name="technologies"
    )
    themes = models.ManyToManyField(Theme, through="TechnologyTheme", related_name="technologies")

    class Meta(Finding.Meta):
        verbose_name_plural = "technologies"


class Issue(Finding):
    themes = models.ManyToManyField(Theme, through="IssueTheme", related_name="issues")

    class Meta(Finding.Meta):
        pass


# Kind -> model; each kind is also the reverse accessor on Source (`source.signals`).
FINDING_MODELS: dict[str, type[Finding]] = {
    "signals": Signal,
    "behaviors": Behavior,
    "technologies": Technology,
    "issues": Issue,
}


class ThemeLink(models.Model):
    """A theme on an item, with who or what put it there."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.IMPORT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"theme {self.theme_id} ({self.origin})"


def _finding_link_constraints(owner: str) -> list:
    return [models.UniqueConstraint(fields=[owner, "theme"], name=f"knowledge_{owner}theme_unique")]


def _finding_link_indexes(owner: str) -> list:
    """A theme's items, read from the index alone (filters, facets, counts), and its
    latest link (the dashboard's active themes)."""
    return [
        models.Index(fields=["theme", owner], name=f"knowledge_{owner[:4]}theme_item"),
        models.Index(fields=["theme", "added_at"], name=f"knowledge_{owner[:4]}theme_added"),
    ]


class SignalTheme(ThemeLink):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = _finding_link_constraints("signal")
        indexes = _finding_link_indexes("signal")


class BehaviorTheme(ThemeLink):
    behavior = models.ForeignKey(Behavior, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = _finding_link_constraints("behavior")
        indexes = _finding_link_indexes("behavior")


class TechnologyTheme(ThemeLink):
    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = _finding_link_constraints("technology")
        indexes = _finding_link_indexes("technology")


class IssueTheme(ThemeLink):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="theme_links")

    class Meta(ThemeLink.Meta):
        constraints = _finding_link_constraints("issue")
        indexes = _finding_link_indexes("issue")


class ThemeRelation(models.Model):
    """An editor's "see also" between two themes. Symmetric: one row per pair, the lower
    id first, so "A see also B" and "B see also A" cannot both be stored."""

    theme_a = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    theme_b = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_a_id", "theme_b_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme_a", "theme_b"], name="knowledge_relation_unique"
            ),
            models.CheckConstraint(
                condition=Q(theme_a__lt=models.F("theme_b")), name="knowledge_relation_ordered"
            ),
        ]
        indexes = [models.Index(fields=["theme_b"], name="knowledge_relation_b")]

    def __str__(self) -> str:
        return f"theme {self.theme_a_id} see also theme {self.theme_b_id}"


class CacheGeneration(models.Model):
    """One row: a number that changes whenever the knowledge changes (apps/knowledge/cache.py).

    Cached counts are stored under it, so a change anywhere (any process) retires them all.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.value}"
