"""Export and backup: a source as its Markdown record, the knowledge base as a zip of
records with a manifest, and restoring that zip (admins). H5's services do the work."""

import tempfile
from collections.abc import Iterator
from typing import Literal

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from apps.api.auth import ADMIN_ONLY, EDIT, READ
from apps.api.errors import ERROR_STATUSES, ErrorOut
from apps.api.findings import explorer_filtered
from apps.api.schemas.findings import FindingQuery, Kind
from apps.api.types import PathId
from apps.records.backup import backup_restore, backup_write
from apps.records.findings_export import csv_chunks, json_chunks
from apps.records.selectors import record_from_source, sources_for_export
from apps.records.writer import render_record

router = Router(tags=["export"], auth=READ)
ANSWERS = {ERROR_STATUSES: ErrorOut}


def binary(media_type: str, description: str) -> dict:
    """openapi_extra documenting a 200 that is a file, not JSON."""
    schema = (
        {"type": "string"}
        if media_type.startswith("text/")
        else {
            "type": "string",
            "format": "binary",
        }
    )
    content = {media_type: {"schema": schema}}
    return {"responses": {200: {"description": description, "content": content}}}


class RestoreOut(Schema):
    created: int
    updated: int
    themes: int
    missing_users: list[str]


@router.get(
    "/sources/{source_id}/record",
    response={200: None, **ANSWERS},
    openapi_extra=binary("text/markdown", "The source's Markdown record"),
)
def source_record(request: HttpRequest, source_id: PathId):
    """The source as a Markdown record, as `export_markdown SOURCE_ID` writes it."""
    source = get_object_or_404(sources_for_export(), pk=source_id)
    response = HttpResponse(render_record(record_from_source(source)))
    response["Content-Type"] = "text/markdown; charset=utf-8"
    return response


FINDINGS_FILE = {
    "responses": {
        200: {
            "description": "The findings as CSV (format=csv) or a JSON list (format=json)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        }
    }
}


@router.get("/export/findings/{kind}", response={200: None, **ANSWERS}, openapi_extra=FINDINGS_FILE)
def findings_export(
    request: HttpRequest,
    kind: Kind,
    filters: Query[FindingQuery],
    format: Literal["csv", "json"] = "csv",
):
    """Every finding of a kind under the explorer's filter, as CSV or JSON rows, unpaged,
    streamed: the filter is checked and the first rows read before the 200 is sent."""
    findings = explorer_filtered(kind, filters)
    if format == "json":
        return streamed(json_chunks(findings, kind=kind), content_type="application/json")
    response = streamed(csv_chunks(findings, kind=kind), content_type="text/csv")
    name = f"spyglass-{kind}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def streamed(chunks: Iterator[str], *, content_type: str) -> StreamingHttpResponse:
    """A response that sends `chunks` as they come, after reading the first one here.

    Once the first byte is sent the status cannot change: reading the first chunk in the
    view lets a database that is down, or a query it refuses, answer with an error status.
    A failure later cuts the stream short (docs/api.md, "Exports stream").
    """
    first = next(chunks)
    return StreamingHttpResponse(_resumed(first, chunks), content_type=content_type)


def _resumed(first: str, chunks: Iterator[str]) -> Iterator[str]:
    # A generator (not itertools.chain) so the response's close() closes `chunks` too,
    # and with it the database cursor, when a client hangs up early.
    yield first
    yield from chunks


@router.get(
    "/export/backup",
    response={200: None, **ANSWERS},
    auth=EDIT,
    openapi_extra=binary("application/zip", "Every record and the manifest, zipped"),
)
def backup(request: HttpRequest):
    """The whole knowledge base as a zip of Markdown records plus manifest.json (editors)."""
    # On disk, not in memory: a large knowledge base makes a large zip.
    out = tempfile.TemporaryFile()  # noqa: SIM115  FileResponse closes it once sent
    backup_write(out)
    out.seek(0)
    name = f"spyglass-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


@router.post("/export/restore", response={200: RestoreOut, **ANSWERS}, auth=ADMIN_ONLY)
def restore(request: HttpRequest, file: File[UploadedFile]):
    """Restore a backup zip (admins): all or nothing; a bad zip is refused with the reason."""
    return backup_restore(file, actor=request.auth, via="the API")
