"""Export through the API: a record as Markdown, the backup zip, and the restore round trip
(export, wipe, import gives the same records, curated values and provenance)."""

import io
import zipfile

from apps.knowledge.models import Signal
from apps.sources.models import Source
from tests.factories import SignalFactory, SourceFactory, SourceThemeFactory, ThemeFactory


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
    lines = csv.content.decode().splitlines()
    assert len(lines) == 2 and "'=HYPERLINK(evil)" in lines[1]  # formula-safe
    rows = reader_api.send("get", "export/findings/signals", {"theme": "ageing", "format": "json"})
    assert [row["name"] for row in rows.json()] == ["=HYPERLINK(evil)"]
    assert rows.json()[0]["themes"] == ["Ageing"]
