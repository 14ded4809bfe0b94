"""The index follows every write path: imports, restores, edits, deletes, and the migration."""

import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.knowledge.findings import finding_delete, finding_update
from apps.knowledge.models import Signal
from apps.records.backup import backup_restore, backup_write
from apps.records.parser import parse_record
from apps.records.services import record_import
from apps.search.selectors import search
from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SourceFactory
from tests.records.conftest import SEED, wipe


def found(text: str) -> set[tuple[str, str]]:
    plain = (
        str(hit.title_html).replace("<mark>", "").replace("</mark>", "")
        for hit in search(text).hits
    )
    kinds = (hit.kind for hit in search(text).hits)
    return set(zip(kinds, plain, strict=True))


def imported() -> Source:
    return record_import(parse_record(SEED.read_text(encoding="utf-8"))).source


@pytest.mark.django_db
def test_an_imported_record_is_searchable_at_once():
    imported()

    assert ("signals", "Talent Mobility in AI") in found("talent mobility")
    assert ("technologies", "Quantization in AI Models") in found("quantization")
    # A keyword only (weight B), and the summary.
    assert {kind for kind, _ in found("LLMs")} >= {"sources"}


@pytest.mark.django_db
def test_an_edited_finding_is_found_by_its_new_words_only():
    editor = UserFactory(role="editor")
    signal = SignalFactory(name="Paper straws", description="")

    finding_update(
        finding=signal,
        values={"name": "Bamboo cutlery"},
        expected_version=signal.version,
        user=editor,
    )

    assert found("straws") == set()
    assert found("bamboo") == {("signals", "Bamboo cutlery")}


@pytest.mark.django_db
def test_a_deleted_finding_or_source_is_gone_from_the_results():
    editor = UserFactory(role="editor")
    signal = SignalFactory(name="Floating farms")
    source = SourceFactory(title="Floating cities")
    SignalFactory(source=source, name="Floating schools")

    finding_delete(finding=signal, user=editor)
    assert found("floating") == {("sources", "Floating cities"), ("signals", "Floating schools")}
    source.delete()
    assert found("floating") == set()


@pytest.mark.django_db
def test_a_restored_backup_is_searchable_at_once():
    imported()
    out = io.BytesIO()
    backup_write(out)
    wipe()
    assert found("quantization") == set()

    backup_restore(io.BytesIO(out.getvalue()))

    assert ("technologies", "Quantization in AI Models") in found("quantization")


@pytest.mark.django_db
def test_a_pipeline_save_of_the_text_reindexes_the_source():
    source = SourceFactory(title="Queued", extracted_text="")
    Source.objects.filter(pk=source.pk).update(extracted_text="Seagrass meadows store carbon.")

    assert found("seagrass") == {("sources", "Queued")}


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_rows_already_there():
    executor = MigrationExecutor(connection)
    executor.migrate([("search", None)])
    try:
        SignalFactory(name="Kelp forests")
        SourceFactory(title="Rewilding rivers")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("search"))

    assert found("kelp") == {("signals", "Kelp forests")}
    assert found("rewilding") == {("sources", "Rewilding rivers")}
    assert Signal.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # TRUNCATE waits for no pending FK checks
def test_emptying_a_table_at_once_empties_its_part_of_the_index():
    SignalFactory(name="Kelp forests", source=SourceFactory(title="Kelp report"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # flush's way; SQLite's flush deletes rows
            cursor.execute("TRUNCATE knowledge_signal CASCADE")
        else:
            cursor.execute("DELETE FROM knowledge_signal")

    assert found("kelp") == {("sources", "Kelp report")}
