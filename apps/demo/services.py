"""Generate and remove demo data (docs/demo-data.md). One logic path for the command and the
browse benchmark."""

import math
import time
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.roles import ANALYST, EDITOR
from apps.accounts.services import password_generate, user_create
from apps.demo import plan, tables
from apps.demo.generate import Generator
from apps.demo.models import DemoDataset
from apps.demo.text import THEME_CAPACITY
from apps.knowledge.cache import knowledge_changed
from apps.knowledge.models import Keyword, Theme
from apps.sources.models import Source

MAX_SOURCES = 10_000_000
MAX_FINDINGS_PER_SOURCE = 100
BATCH = 1_000  # sources per batch: about 20,000 rows written at --findings-per-source 10
EDITOR_NAME = "demo-editor"
ANALYST_NAMES = ("demo-analyst-1", "demo-analyst-2", "demo-analyst-3")
# Deleted in this order by --clear: links before what they point at.
CLEAR_ORDER = (
    "knowledge_signaltheme knowledge_behaviortheme knowledge_technologytheme "
    "knowledge_issuetheme knowledge_signal knowledge_behavior knowledge_technology "
    "knowledge_issue sources_sourcetheme sources_sourcekeyword knowledge_themesuggestion "
    "sources_submission sources_source knowledge_themerelation knowledge_themealias "
    "knowledge_theme knowledge_keyword"
).split()


def demo_arguments_check(*, sources: int, findings_per_source: float, themes: int) -> None:
    """Raise ValidationError naming every argument out of range."""
    errors = {}
    if not 1 <= sources <= MAX_SOURCES:
        errors["sources"] = f"give between 1 and {MAX_SOURCES:,} sources (got {sources})."
    if not (math.isfinite(findings_per_source) and 0 <= findings_per_source <= 100):
        errors["findings_per_source"] = (
            f"give between 0 and {MAX_FINDINGS_PER_SOURCE} findings per source "
            f"(got {findings_per_source})."
        )
    if not 2 <= themes <= THEME_CAPACITY:
        errors["themes"] = f"give between 2 and {THEME_CAPACITY:,} themes (got {themes})."
    if errors:
        raise ValidationError(errors)


def non_demo_data_present() -> bool:
    """Whether sources, themes or keywords exist outside every recorded demo range."""
    datasets = list(DemoDataset.objects.all())
    for model in (Source, Theme, Keyword):
        outside = model.objects.all()
        for dataset in datasets:
            first_last = dataset.id_ranges.get(model._meta.db_table)
            if first_last:
                outside = outside.exclude(pk__range=first_last)
        if outside.exists():
            return True
    return False


def demo_data_generate(
    *,
    sources: int,
    findings_per_source: float,
    themes: int,
    seed: int,
    until: date | None = None,
    force: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> DemoDataset:
    """Write a demo base in one transaction; refuses a base with data unless `force`."""
    demo_arguments_check(sources=sources, findings_per_source=findings_per_source, themes=themes)
    if DemoDataset.objects.exists():
        raise ValidationError("the database already holds demo data: remove it with --clear.")
    if not force and non_demo_data_present():
        raise ValidationError(
            "the database holds sources or themes that are not demo data; use an empty "
            "database, or --force to add demo data beside them."
        )
    until = until or timezone.localdate()
    started = time.perf_counter()
    totals = {k: round(sources * findings_per_source * s) for k, s in plan.KIND_SHARE.items()}
    with transaction.atomic():
        users = _users()
        generator = Generator(seed=seed, until=until, users=users)
        generator.vocabularies(themes)
        generator.prepare_sources()
        batches, done = math.ceil(sources / BATCH), 0
        for index in range(batches):
            count = plan.split_total(sources, batches, index)
            share = {kind: plan.split_total(n, batches, index) for kind, n in totals.items()}
            generator.batch(count, share)
            done += count
            progress(_progress_line(done, sources, generator, started))
        tables.reset_sequences([t.model for t in generator.tables.values()])
        counts = {name: t.written for name, t in generator.tables.items()}
        dataset = DemoDataset.objects.create(
            seed=seed,
            sources=sources,
            findings_per_source=findings_per_source,
            themes=themes,
            until=until,
            id_ranges={n: t.id_range() for n, t in generator.tables.items() if t.id_range()},
            counts={**counts, "users": users["created"]},
            seconds=round(time.perf_counter() - started, 1),
        )
        # Rows written by COPY send no model signals: retire the cached counts and facets.
        knowledge_changed()
    _analyze()
    return dataset


def _progress_line(done: int, total: int, generator: Generator, started: float) -> str:
    findings = sum(t.written for t in generator.findings.values())
    seconds = time.perf_counter() - started
    return f"{done:,} / {total:,} sources, {findings:,} findings, {seconds:.0f} s"


def _users() -> dict:
    """The demo editor (reviews findings) and analysts (submit sources); existing ones reused."""
    model = get_user_model()
    created = []

    def user(name: str, role: str) -> int:
        existing = model.objects.filter(username=name).values_list("pk", flat=True).first()
        if existing:
            return existing
        pk = user_create(username=name, role=role, password=password_generate()).pk
        created.append(pk)
        return pk

    editor = user(EDITOR_NAME, EDITOR)
    analysts = [user(name, ANALYST) for name in ANALYST_NAMES]
    return {"editor": editor, "analysts": analysts, "created": created}


def _analyze() -> None:
    """Planner statistics for the new rows and, on PostgreSQL, their visibility map.

    VACUUM as well as ANALYZE: until a vacuum marks the new pages all-visible, an
    index-only scan has to visit the table for every row, and PostgreSQL builds the
    explorer's theme filters (the IN lists of apps/knowledge/explorer.py) from the heap
    instead: 64 ms against 15 ms for the biggest theme's signal links at --size 20.
    Autovacuum would get there in time, unless it is off. VACUUM cannot run inside a
    transaction (tests hold one), so there only ANALYZE runs.
    """
    if connection.vendor != "postgresql":
        statement = "PRAGMA optimize"
    else:
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(statement)


def demo_data_clear(*, progress: Callable[[str], None] = lambda line: None) -> int:
    """Delete every recorded demo dataset's rows and users; returns how many rows went."""
    removed = 0
    with transaction.atomic():
        for dataset in DemoDataset.objects.all():
            for table in CLEAR_ORDER:
                first_last = dataset.id_ranges.get(table)
                if first_last:
                    count = tables.delete_range(_model(table), *first_last)
                    progress(f"{table}: {count:,} rows deleted")
                    removed += count
            user_ids = dataset.counts.get("users") or []
            get_user_model().objects.filter(pk__in=user_ids).delete()
            dataset.delete()
        knowledge_changed()
    return removed


def _model(table: str):
    return next(m for m in apps.get_models() if m._meta.db_table == table)
