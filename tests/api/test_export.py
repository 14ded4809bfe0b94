"""Export through the API: a record as Markdown, the backup zip, and the restore round trip
(export, wipe, import gives the same records, curated values and provenance)."""

import io
import json
import zipfile

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from apps.knowledge.explorer import findings_filtered
from apps.knowledge.models import Signal
from apps.records.findings_export import findings_csv, findings_json
from apps.sources.models import Source
from tests.factories import SignalFactory, SourceFactory, SourceThemeFactory, ThemeFactory
from tests.records.conftest import many_sources


def test_a_source_as_its_markdown_record(reader_api, db):
    source = SourceFactory(title="Cheap sensors everywhere")
    SignalFactory(source=source, name="Sensors in bins")
    response = reader_api.send("get", f"sources/{source.pk}/record")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# __Cheap sensors everywhere__") and "Sensors in bins" in text


def _zip(response) -> bytes:
    return b"".join(response.streaming_content)


def test_backup_export_wipe_restore_round_trip(editor_api, admin_api, db):
    source = SourceFactory(title="Cheap sensors")
    SourceThemeFactory(source=source, theme=ThemeFactory(name="Sensing"))
    signal = SignalFactory(source=source, name="Sensors in bins")
    editor_api.send("patch", f"findings/signals/{signal.pk}", {"version": 1, "relevancy": 5})
    response = editor_api.send("get", "export/backup")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = _zip(response)
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()

    Source.objects.all().delete()  # the wipe
    upload = io.BytesIO(data)
    upload.name = "backup.zip"
    restored = admin_api.post("/api/v1/export/restore", {"file": upload})
    assert restored.status_code == 200, restored.content
    assert restored.json()["created"] == 1
    again = Signal.objects.get(name="Sensors in bins")
    assert again.relevancy == 5 and "relevancy" in again.curated
    assert again.curated["relevancy"]["by"] == "api-editor"
    assert list(again.source.themes.values_list("name", flat=True)) == ["Sensing"]


def test_a_broken_zip_is_refused_with_the_reason(admin_api, db):
    upload = io.BytesIO(b"not a zip")
    upload.name = "backup.zip"
    response = admin_api.post("/api/v1/export/restore", {"file": upload})
    assert response.status_code == 422 and response.json()["code"] == "backup_refused"
    assert response.json()["message"].startswith("file:")


def test_restore_without_a_file_names_it(admin_api, db):
    response = admin_api.post("/api/v1/export/restore", {})
    assert response.status_code == 422 and "file" in response.json()["details"]["fields"]


def test_filtered_findings_as_csv_and_json(reader_api, db):
    ageing = ThemeFactory(name="Ageing")
    SignalFactory(name="=HYPERLINK(evil)").themes.add(ageing, through_defaults={})
    SignalFactory(name="Not about ageing")
    csv = reader_api.send("get", "export/findings/signals", {"theme": "ageing"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = body(csv).splitlines()
    assert len(lines) == 2 and "'=HYPERLINK(evil)" in lines[1]  # formula-safe
    rows = reader_api.send("get", "export/findings/signals", {"theme": "ageing", "format": "json"})
    (row,) = json.loads(body(rows))
    assert (row["name"], row["themes"]) == ("=HYPERLINK(evil)", ["Ageing"])


def body(response) -> str:
    """The whole answer of a streamed export (its `content` does not exist)."""
    return b"".join(response.streaming_content).decode()


def test_exports_stream_and_say_what_they_are(reader_api, db):
    many_sources(3)
    csv = reader_api.send("get", "export/findings/signals")
    assert isinstance(csv, StreamingHttpResponse) and csv["Content-Type"] == "text/csv"
    assert csv["Content-Disposition"].startswith('attachment; filename="spyglass-signals-')
    rows = reader_api.send("get", "export/findings/signals", {"format": "json"})
    assert isinstance(rows, StreamingHttpResponse)
    assert rows["Content-Type"] == "application/json"
    assert "Content-Length" not in rows  # not known until the last row


def test_exports_hold_what_they_held_when_built_at_once(reader_api, db):
    many_sources(300)  # 600 signals: more than one chunk of the database and of the text
    themes = ["bulk-theme-1", "bulk-theme-2"]
    whole = list(findings_filtered("signals", {"sort": "name"}))
    query = {"sort": "name"}

    csv = body(reader_api.send("get", "export/findings/signals", query))
    rows = body(reader_api.send("get", "export/findings/signals", {**query, "format": "json"}))

    assert csv == findings_csv(whole, kind="signals")
    assert csv.count("\r\n") == 601 and "'=Signal 1 of 299" in csv
    # JsonResponse's layout: json.dumps with its defaults over the whole list.
    assert rows == json.dumps(findings_json(whole, kind="signals"))
    filtered = body(reader_api.send("get", "export/findings/signals", {"theme": themes}))
    assert filtered.count("\r\n") - 1 == len(
        json.loads(
            body(
                reader_api.send(
                    "get", "export/findings/signals", {"theme": themes, "format": "json"}
                )
            )
        )
    )


@pytest.mark.parametrize("format", ["csv", "json"])
def test_an_export_takes_queries_by_chunk_not_by_row(reader_api, db, format):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(reader_api.send("get", "export/findings/signals", {"format": format}))
        return len(captured)

    many_sources(3)
    queries()  # the first call of a token also notes when it was used
    six = queries()
    many_sources(247, start=3)
    five_hundred = queries()  # still one chunk (EXPORT_CHUNK)
    many_sources(50, start=250)
    six_hundred = queries()  # a second chunk: its two prefetches
    assert six == five_hundred and six_hundred == six + 2


def test_a_wrong_filter_is_refused_before_anything_is_streamed(reader_api, db):
    response = reader_api.send("get", "export/findings/signals", {"min_relevancy": "9"})
    assert response.status_code == 422 and not response.streaming
    assert "min_relevancy" in response.json()["details"]["fields"]


def test_no_one_signed_out_gets_a_stream(anonymous, db):
    response = anonymous.send("get", "export/findings/signals", {"format": "json"})
    assert response.status_code == 401 and not response.streaming


def test_a_database_failure_before_the_first_byte_is_an_error_status(reader_api, db):
    many_sources(2)
    table = Signal._meta.db_table
    with connection.cursor() as cursor:  # undone when the test's transaction rolls back
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_gone")
    reader_api.raise_request_exception = False
    response = reader_api.send("get", "export/findings/signals")
    assert response.status_code == 500 and not response.streaming


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend")
def test_a_database_failure_mid_stream_cuts_the_stream_short(reader_api, transactional_db):
    many_sources(300)
    Signal.objects.update(description="x" * 1000)  # 600 KB: the answer comes in pieces
    response = reader_api.send("get", "export/findings/signals", {"format": "json"})
    pieces = iter(response.streaming_content)
    received = next(pieces)
    other = connections.create_connection(DEFAULT_DB_ALIAS)  # as an administrator would
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    other.close()
    with pytest.raises(DatabaseError):
        for piece in pieces:
            received += piece
    assert not received.endswith(b"]")  # a JSON client sees a truncated array
    connection.close()
