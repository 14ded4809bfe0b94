from pathlib import Path

import pytest
from django.db.models import Model

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SEED = ROOT / "seeds" / "000_9386fc493d557855.txt"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def knowledge_base(seed_text):
    """A small base with everything a backup must keep: the seed and the variant records,
    an editor's curated values and own finding, theme links with their origin, an alias, a
    merged and a rejected theme, and a failed source without a title."""
    from datetime import date

    from apps.core.curation import editor_update
    from apps.knowledge.findings import (
        finding_create,
        finding_delete,
        theme_link_add,
        theme_link_remove,
    )
    from apps.knowledge.models import Theme
    from apps.knowledge.themes import theme_alias_add, theme_merge, theme_reject, theme_relate
    from apps.records.parser import parse_record
    from apps.records.services import record_import
    from apps.sources.models import Source
    from tests.accounts.factories import UserFactory
    from tests.factories import CategoryFactory, SourceFactory, ThemeFactory

    edna = UserFactory(username="edna", role="editor")
    andy = UserFactory(username="andy", role="analyst")
    seed = record_import(parse_record(seed_text), actor=andy).source
    for path in sorted((FIXTURES / "variants").glob("*.md")):
        record_import(parse_record(path.read_text(encoding="utf-8")))

    seed = Source.objects.get(pk=seed.pk)
    editor_update(
        seed,
        user=edna,
        values={"title": "Google has no moat", "category": CategoryFactory(name="strategy")},
        expected_version=seed.version,
    )
    signal = seed.signals.order_by("position").first()
    editor_update(
        signal,
        user=edna,
        values={"description": "First line.\nSecond line.", "relevancy": 5},
        expected_version=signal.version,
    )
    added = finding_create(
        kind="technologies",
        source=seed,
        values={"name": "Editors add findings too", "description": "=1+1", "relevancy": 2},
        user=edna,
    )
    resilience = ThemeFactory(name="Resilience", description="Bouncing back.")
    theme_link_add(item=seed, name="Resilience", user=edna)
    theme_link_add(item=signal, name="resilience", user=edna)
    theme_link_add(item=added, name="Resilience", user=edna)
    theme_link_remove(item=seed, theme=Theme.objects.get(slug="google"), user=edna)
    finding_delete(finding=seed.issues.order_by("position").first(), user=edna)
    theme_alias_add(resilience, name="Robustness", user=edna)
    theme_merge(Theme.objects.get(slug="competition"), into=resilience, user=edna)
    theme_reject(ThemeFactory(name="Hype", status=Theme.Status.PROPOSED), user=edna)
    theme_relate(theme=resilience, other=Theme.objects.get(slug="innovation"), user=edna)
    SourceFactory(
        title="",
        summary="",
        category=None,
        source_type=None,
        status=Source.Status.FAILED,
        stage=Source.Stage.FETCH,
        failure_code="http_404",
        failure_message="The page is gone.",
        submitted_by=andy,
        published_on=date(2024, 5, 6),
    )
    return seed


def snapshot() -> dict:
    """Everything a restore must give back, keyed by canonical URL and slug."""
    from apps.knowledge.models import FINDING_MODELS, Theme, ThemeAlias, ThemeRelation
    from apps.records.backup.write import curated_by_slug
    from apps.records.selectors import record_from_source, sources_for_export
    from apps.records.writer import render_record

    def name(user):
        return user.get_username() if user else None

    def links(manager):
        return [
            (link.theme.slug, link.origin, name(link.added_by), link.added_at)
            for link in manager.select_related("theme", "added_by").order_by("position", "id")
        ]

    def provenance(obj):
        fields = [f for f in obj.EDITABLE_FIELDS if f != "keywords"]
        # Related values (category, type) by name: their ids change after a wipe.
        values = {field: getattr(obj, field) for field in fields}
        values = {f: str(v) if isinstance(v, Model) else v for f, v in values.items()}
        # Removed themes are noted by id, which a restore changes: compared by slug.
        curated = curated_by_slug(obj.curated, dict(Theme.objects.values_list("pk", "slug")))
        return (values, obj.origin, obj.machine_values, curated, obj.version,
                name(obj.updated_by), obj.updated_at, obj.created_at)  # fmt: skip

    sources = {}
    for source in sources_for_export().order_by("pk"):
        findings = [
            (kind, provenance(finding), links(finding.theme_links))
            for kind, model in FINDING_MODELS.items()
            for finding in model.objects.filter(source=source).order_by("position", "id")
        ]
        sources[source.canonical_url] = {
            "markdown": render_record(record_from_source(source)),
            "provenance": provenance(source),
            "submitted": (name(source.submitted_by), source.submitted_at),
            "state": (source.status, source.stage, source.failure_code, source.failure_message),
            "page": (source.published_on, source.url, source.author, source.final_url),
            "keywords": [(link.label, link.origin) for link in source.keyword_links.all()],
            "themes": links(source.theme_links),
            "findings": findings,
        }
    themes = sorted(
        (
            t.slug,
            t.name,
            t.description,
            t.status,
            t.merged_into.slug if t.merged_into else None,
            t.created_at,
        )
        for t in Theme.objects.select_related("merged_into")
    )
    aliases = sorted(
        (a.key, a.name, a.theme.slug) for a in ThemeAlias.objects.select_related("theme")
    )
    relations = sorted(
        (*sorted([r.theme_a.slug, r.theme_b.slug]), name(r.added_by), r.added_at)
        for r in ThemeRelation.objects.select_related("theme_a", "theme_b", "added_by")
    )
    return {"sources": sources, "themes": themes, "aliases": aliases, "relations": relations}


def wipe() -> None:
    from apps.knowledge.models import Category, Keyword, SourceType, Theme
    from apps.sources.models import Source

    Source.objects.all().delete()
    Theme.objects.all().delete()
    Keyword.objects.all().delete()
    Category.objects.all().delete()
    SourceType.objects.all().delete()


def many_sources(count: int, *, start: int = 0, themes: int = 5) -> list:
    """`count` sources (numbered from `start`), each with two signals and a behavior, theme
    links on the sources and on the first signals, and a keyword: bulk-created, as a few
    hundred one by one would be slow. Findings differ per source so a mix-up shows."""
    from apps.knowledge.models import Behavior, Keyword, Signal, SignalTheme, Theme
    from apps.sources.models import Source, SourceKeyword, SourceTheme
    from tests.factories import CategoryFactory, SourceTypeFactory

    vocabulary = [
        Theme.objects.get_or_create(slug=f"bulk-theme-{n}", defaults={"name": f"Bulk theme {n}"})[0]
        for n in range(themes)
    ]
    category, kind = CategoryFactory(name="technology"), SourceTypeFactory(name="news")
    keyword, _ = Keyword.objects.get_or_create(key="bulk-keyword", name="bulk keyword")
    sources = Source.objects.bulk_create(
        Source(
            canonical_url=f"https://bulk.example.org/{n}",
            url=f"https://bulk.example.org/{n}",
            title=f"Bulk source {n}",
            summary=f"What changed at {n}.",
            category=category,
            source_type=kind,
            status=Source.Status.DONE,
        )
        for n in range(start, start + count)
    )
    signals = Signal.objects.bulk_create(
        Signal(
            source=source,
            position=p,
            name=f"=Signal {p} of {n}" if p else f"Signal {p} of {n}",
            description=f"Why {n} matters, part {p}.",
            change="From this to that.",
            relevancy=(n + p) % 5 + 1,
        )
        for n, source in enumerate(sources, start)
        for p in range(2)
    )
    Behavior.objects.bulk_create(
        Behavior(source=source, position=0, name=f"Behavior of {n}", relevancy=None)
        for n, source in enumerate(sources, start)
    )
    SourceTheme.objects.bulk_create(
        SourceTheme(source=source, theme=vocabulary[n % themes], position=0)
        for n, source in enumerate(sources)
    )
    SignalTheme.objects.bulk_create(
        SignalTheme(signal=signal, theme=vocabulary[(n + 1) % themes], position=0)
        for n, signal in enumerate(signals[::2])
    )
    SourceKeyword.objects.bulk_create(
        SourceKeyword(source=source, keyword=keyword, label="bulk keyword", position=0)
        for source in sources
    )
    return sources
