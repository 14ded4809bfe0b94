import json
from datetime import date
from unittest import mock

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from apps.core.models import Origin
from apps.knowledge.explorer import findings_filtered
from apps.knowledge.models import FINDING_MODELS, Theme
from apps.records.finding_values import readable_as_values
from apps.records.findings_export import csv_chunks, finding_rows, json_chunks
from tests.factories import (
    FINDING_FACTORIES,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = FINDING_FACTORIES
KINDS = list(FACTORIES)


def link(finding, theme) -> None:
    links = type(finding).theme_links.rel.related_model
    links.objects.create(**{type(finding)._meta.model_name: finding, "theme": theme})


@pytest.fixture
def mixed_findings():
    """Per kind: own and inherited themes (one both), a draft, findings that are not drafts
    for each reason, a source with a publication date and one without, a formula cell."""
    energy, homes, zeta, alpha = (ThemeFactory(name=n) for n in ("Energy", "Homes", "Zeta", "A"))
    dated = SourceFactory(title="=Dated", published_on=date(2024, 3, 1))
    undated = SourceFactory(title="Undated", url="https://example.org/u")
    SourceThemeFactory(source=dated, theme=homes)
    SourceThemeFactory(source=dated, theme=energy)
    for factory in FACTORIES.values():
        draft = factory(source=dated, name="=1+1", origin=Origin.AI, confidence=0.2)
        link(draft, zeta)
        link(draft, energy)
        factory(source=dated, origin=Origin.AI, confidence=0.9, relevancy=None)
        reviewed = factory(
            source=undated, origin=Origin.AI, confidence=0.1, reviewed_at=timezone.now()
        )
        link(reviewed, alpha)
        factory(source=undated, origin=Origin.EDITOR, confidence=0.1)
        factory(source=undated, confidence=None, description="")


def instance_rows(kind: str) -> list[dict]:
    """The rows built from model instances, as the export built them before."""
    model = FINDING_MODELS[kind]
    findings = model.objects.select_related("source").prefetch_related("themes", "source__themes")
    return list(finding_rows(list(findings.order_by("pk")), kind=kind))


@pytest.mark.parametrize("kind", KINDS)
def test_rows_read_as_values_are_the_rows_built_from_instances(kind, mixed_findings):
    model = FINDING_MODELS[kind]
    expected = instance_rows(kind)

    assert list(finding_rows(model.objects.order_by("pk"), kind=kind)) == expected
    assert [row["draft"] for row in expected] == [True, False, False, False, False]
    assert expected[0]["themes"] == ["Energy", "Zeta", "Homes"]
    assert expected[1]["themes"] == ["Energy", "Homes"]
    assert expected[2]["date"] == expected[2]["date"][:10]  # the day it was submitted


@pytest.mark.parametrize("kind", KINDS)
def test_an_explorer_export_writes_the_same_text_as_one_from_instances(kind, mixed_findings):
    findings = findings_filtered(kind, {"sort": "relevancy"})
    instances = list(findings)  # read at once with the explorer's prefetches and date
    assert readable_as_values(findings)

    assert "".join(csv_chunks(findings, kind=kind, chunk_size=2)) == "".join(
        csv_chunks(instances, kind=kind)
    )
    assert "".join(json_chunks(findings, kind=kind, indent=2, chunk_size=2)) == json.dumps(
        list(finding_rows(instances, kind=kind)), indent=2
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_three_chunk_export_runs_two_queries_a_chunk(kind, django_assert_num_queries):
    source = SourceFactory()
    SourceThemeFactory(source=source)
    for _ in range(12):
        link(FACTORIES[kind](source=source), ThemeFactory())
    findings = findings_filtered(kind, {})

    # The findings (one query, read chunk by chunk), then own and source themes per chunk.
    with django_assert_num_queries(1 + 2 * 3):
        text = "".join(csv_chunks(findings, kind=kind, chunk_size=5))

    assert text.count("\r\n") == 13


def test_a_queryset_with_its_own_theme_prefetch_is_read_as_instances(mixed_findings):
    approved = Prefetch("themes", queryset=Theme.objects.exclude(name="Zeta"))
    findings = FINDING_MODELS["signals"].objects.prefetch_related(approved).order_by("pk")

    (first, *_) = finding_rows(findings, kind="signals")

    assert not readable_as_values(findings)
    assert readable_as_values(findings.prefetch_related(None).prefetch_related("themes"))
    assert first["own_themes"] == ["Energy"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_queryset_is_exported_without_a_model_instance_per_finding(kind, mixed_findings):
    model = FINDING_MODELS[kind]
    findings = findings_filtered(kind, {})

    with mock.patch.object(model, "from_db", side_effect=AssertionError("an instance")):
        rows = list(finding_rows(findings, kind=kind))

    assert len(rows) == 5
