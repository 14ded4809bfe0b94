import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from apps.core.curation import editor_update
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import Signal, Technology, Theme, ThemeAlias
from apps.records.format import RecordError
from apps.records.parser import parse_record
from apps.records.selectors import record_from_source, sources_for_export
from apps.records.services import record_import, record_import_file
from apps.records.writer import render_record
from apps.sources.models import Source, SourceTheme
from tests.records.conftest import FIXTURES, fixture_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", password="x")


def export(source: Source) -> str:
    return render_record(record_from_source(sources_for_export().get(pk=source.pk)))


def test_the_seed_survives_import_and_export_field_by_field(seed_text):
    source = record_import(parse_record(seed_text)).source

    assert parse_record(export(source)) == parse_record(seed_text)
    assert export(source) == seed_text.rstrip("\n") + "\n"
    source.refresh_from_db()
    assert source.canonical_url == "https://simonwillison.net/2023/May/4/no-moat/"
    assert source.category.name == "technology"
    assert source.source_type.name == "blog post"
    assert source.signals.get(name="LoRA Fine-Tuning Adoption").relevancy == 4
    assert source.technologies.count() == 7
    assert source.origin == Origin.IMPORT
    assert source.machine_values["title"] == source.title


@pytest.mark.parametrize("path", sorted((FIXTURES / "variants").glob("*.md")), ids=lambda p: p.stem)
def test_every_variant_survives_the_database_round_trip(path):
    record = parse_record(path.read_text())

    first = export(record_import(record).source)

    assert parse_record(first) == record
    Source.objects.all().delete()
    assert export(record_import(parse_record(first)).source) == first


def test_importing_twice_changes_nothing(seed_text):
    first = record_import(parse_record(seed_text))
    entries = AuditEntry.objects.count()

    second = record_import(parse_record(seed_text))

    assert (first.created, second.created) == (True, False)
    assert second.changed == []
    assert Source.objects.count() == 1
    assert Signal.objects.count() == 5
    assert AuditEntry.objects.count() == entries


def test_reimport_matches_the_canonical_url_and_updates_in_place(seed_text):
    source = record_import(parse_record(seed_text)).source
    changed = seed_text.replace(
        "https://simonwillison.net/2023/May/4/no-moat/",
        "https://SimonWillison.net/2023/May/4/no-moat/?utm_source=feed#top",
    ).replace("| Talent Mobility in AI              |", "| Talent Flows in AI                 |")

    result = record_import(parse_record(changed))

    assert result.source.pk == source.pk
    assert result.changed == ["signals"]
    assert Signal.objects.filter(name="Talent Flows in AI").exists()
    assert not Signal.objects.filter(name="Talent Mobility in AI").exists()


def test_reimport_never_overwrites_what_an_editor_curated(seed_text, alice):
    source = record_import(parse_record(seed_text)).source
    signal = source.signals.get(name="Talent Mobility in AI")
    editor_update(signal, user=alice, values={"relevancy": 5}, expected_version=signal.version)
    editor_update(
        source, user=alice, values={"title": "Google: we have no moat"}, expected_version=1
    )
    added = Technology.objects.create(
        source=source, name="Mixture of experts", origin=Origin.EDITOR
    )
    editors_theme = Theme.objects.create(name="strategy", slug="strategy")
    SourceTheme.objects.create(source=source, theme=editors_theme, position=9, origin=Origin.EDITOR)
    newer = (
        seed_text.replace("Leaked Google Document Highlights", "Leaked Memo Highlights")
        .replace("| The pursuit of better opportunities drives talent movement and knowledge "
                 "sharing.                  |           3 |",
                 "| The pursuit of better opportunities drives talent movement and knowledge "
                 "sharing.                  |           1 |")
        .replace("* competition\n", "")
    )  # fmt: skip

    record_import(parse_record(newer))

    source.refresh_from_db()
    signal.refresh_from_db()
    assert source.title == "Google: we have no moat"
    assert source.machine_values["title"].startswith("Leaked Memo Highlights")
    assert signal.relevancy == 5
    assert signal.machine_values["relevancy"] == 1
    assert signal.provenance("relevancy")["origin"] == Origin.EDITOR
    assert signal.provenance("relevancy")["set_by"] == "alice"
    assert Technology.objects.filter(pk=added.pk).exists()
    themes = set(source.themes.values_list("name", flat=True))
    assert "strategy" in themes
    assert "competition" not in themes


def test_a_record_naming_an_alias_links_the_theme_itself(seed_text):
    llama = Theme.objects.create(name="llama", slug="llama")
    ThemeAlias.objects.create(theme=llama, name="llaama", key="llaama")

    source = record_import(parse_record(seed_text)).source

    assert source.themes.filter(pk=llama.pk).exists()
    assert not Theme.objects.filter(slug="llaama").exists()


def test_a_record_naming_a_merged_theme_links_its_target(seed_text):
    target = Theme.objects.create(name="OpenAI Inc", slug="openai-inc")
    Theme.objects.create(
        name="openai", slug="openai", status=Theme.Status.MERGED, merged_into=target
    )

    source = record_import(parse_record(seed_text)).source

    assert source.themes.filter(pk=target.pk).exists()


def test_a_rejected_theme_is_not_linked(seed_text):
    Theme.objects.create(name="llaama", slug="llaama", status=Theme.Status.REJECTED)

    source = record_import(parse_record(seed_text)).source

    assert not source.themes.filter(slug="llaama").exists()
    assert source.machine_values["themes"][2] == "llaama"


def test_a_bad_file_writes_nothing(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(fixture_text("bad/relevancy.md"))

    with pytest.raises(RecordError) as caught:
        record_import_file(bad)

    assert f"{bad}:13:" in str(caught.value)
    assert Source.objects.count() == 0
    assert Theme.objects.count() == 0


@pytest.fixture
def extra_sections_refused():
    """Make the database itself refuse the last write of an import (a trigger, no mocks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by test trigger'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON sources_extrasection "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON sources_extrasection "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER refuse ON sources_extrasection")
            cursor.execute("DROP FUNCTION refuse()")
        else:
            cursor.execute("DROP TRIGGER refuse")


def test_import_is_all_or_nothing_when_the_database_refuses(extra_sections_refused):
    # Extra sections are written last: by then the source, themes and findings exist.
    path = FIXTURES / "variants" / "concerns_section.md"

    with pytest.raises(RecordError, match="could not be stored"):
        record_import_file(path)

    assert Source.objects.count() == 0
    assert Signal.objects.count() == 0
    assert Theme.objects.count() == 0
