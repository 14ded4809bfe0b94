"""Findings as CSV or JSON rows, for reports: the explorer's filter chooses, these write.

CSV cells are made safe for spreadsheets: a cell a spreadsheet would read as a formula
(starting with = + - @, a tab or a carriage return) is prefixed with a quote, per OWASP's
advice on CSV injection, because finding text comes from fetched pages.

Both formats are written as a stream of text chunks (`csv_chunks`, `json_chunks`): the
findings are read `EXPORT_CHUNK` at a time, each chunk with its own two theme queries,
so memory and queries grow with the chunk, not with the export (docs/api.md).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from apps.core.streaming import chunked
from apps.knowledge.explorer import carried_themes
from apps.knowledge.models import FINDING_MODELS, Finding
from apps.records.finding_values import readable_as_values, value_rows
from apps.records.format import COLUMN_HEADERS, FINDING_COLUMNS, SIGNAL_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SOURCE_HEADERS = ("themes", "source_id", "source_title", "source_url", "date")
# Findings read per database round trip (1 query for them, then 2 prefetches per chunk).
EXPORT_CHUNK = 500
# Text gathered before a chunk is handed on: fewer, larger writes to the socket or file.
FLUSH_CHARS = 64 * 1024


def columns_for(kind: str) -> tuple[str, ...]:
    if kind not in FINDING_MODELS:
        raise ValueError(f"unknown kind of finding: {kind!r}")
    return SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS


def finding_rows(
    findings: Iterable[Finding], *, kind: str, chunk_size: int = EXPORT_CHUNK
) -> Iterator[dict]:
    """One dict per finding: its values, theme names, source and date; read in chunks.

    A queryset is read as plain values (apps/records/finding_values.py: several times
    faster); a list of instances, or a queryset with prefetches of its own, as instances."""
    columns = columns_for(kind)
    if isinstance(findings, QuerySet) and readable_as_values(findings):
        yield from value_rows(findings, kind=kind, columns=columns, chunk_size=chunk_size)
        return
    for finding in _streamed(findings, chunk_size):
        source = finding.source
        row = {"id": finding.pk, "kind": kind}
        row.update({column: getattr(finding, column) for column in columns})
        row["themes"] = theme_names(finding)
        row["own_themes"] = [theme.name for theme in finding.themes.all()]
        row["confidence"] = finding.confidence
        row["draft"] = finding.draft
        row["source"] = {"id": source.pk, "title": source.title, "url": source.url}
        row["date"] = finding_date(finding).isoformat()
        yield row


def findings_json(findings: Iterable[Finding], *, kind: str) -> list[dict]:
    """Every row at once, for callers that need a list (small sets, tests)."""
    return list(finding_rows(findings, kind=kind))


def json_chunks(
    findings: Iterable[Finding],
    *,
    kind: str,
    indent: int | None = None,
    ensure_ascii: bool = True,
    chunk_size: int = EXPORT_CHUNK,
) -> Iterator[str]:
    """A JSON array of the rows in pieces of about FLUSH_CHARS: byte for byte what
    `json.dumps(rows, indent=..., ensure_ascii=...)` writes at once (JsonResponse's output
    with the defaults)."""
    pending, size, separator = ["["], 1, ""
    for row in finding_rows(findings, kind=kind, chunk_size=chunk_size):
        text = json.dumps(row, cls=DjangoJSONEncoder, indent=indent, ensure_ascii=ensure_ascii)
        if indent is None:
            pending += [separator, text]
            separator = ", "
        else:
            text = _indented(text, indent)
            pending += [separator or "\n", text]
            separator = ",\n"
        size += len(text) + 2
        if size >= FLUSH_CHARS:
            yield "".join(pending)
            pending, size = [], 0
    if separator and indent is not None:
        pending.append("\n")
    pending.append("]")
    yield "".join(pending)


def _indented(text: str, indent: int) -> str:
    pad = " " * indent
    return pad + text.replace("\n", "\n" + pad)


def findings_csv(findings: Iterable[Finding], *, kind: str) -> str:
    """The whole CSV as one string, for callers that need it at once (small sets, tests)."""
    return "".join(csv_chunks(findings, kind=kind))


def csv_chunks(
    findings: Iterable[Finding], *, kind: str, chunk_size: int = EXPORT_CHUNK
) -> Iterator[str]:
    """A header row with the kind's columns, then one row per finding; formula-safe.

    Yields the text in pieces of about FLUSH_CHARS, the header with the first one."""
    columns = columns_for(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", *(COLUMN_HEADERS[column] for column in columns), *SOURCE_HEADERS])
    for row in finding_rows(findings, kind=kind, chunk_size=chunk_size):
        source = row["source"]
        cells = [row["id"], *(row[column] for column in columns), "; ".join(row["themes"])]
        cells += [source["id"], source["title"], source["url"], row["date"]]
        writer.writerow([safe_cell(cell) for cell in cells])
        if buffer.tell() >= FLUSH_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def safe_cell(value):
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def theme_names(finding: Finding) -> list[str]:
    """The finding's own themes, then its source's, as the explorer counts them."""
    return [theme.name for theme in carried_themes(finding)]


def finding_date(finding: Finding):
    """The explorer's `date` annotation when the findings came from its filter."""
    annotated = getattr(finding, "date", None)
    if annotated is not None:
        return annotated
    source = finding.source  # the same rule as explorer.finding_date, for plain querysets
    return source.published_on or source.submitted_at.date()


def _streamed(findings: Iterable[Finding], chunk_size: int) -> Iterable[Finding]:
    """A queryset read `chunk_size` rows at a time (a server-side cursor on PostgreSQL), each
    chunk with its prefetches (Django runs them per chunk when a chunk size is given)."""
    if not isinstance(findings, QuerySet):
        return findings
    return chunked(_prepared(findings), chunk_size=chunk_size)


def _prepared(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Add the joins the rows need to a queryset that lacks them (a fixed query count)."""
    # Lookups the caller already prefetched (maybe with their own querysets) are kept.
    present = {
        getattr(lookup, "prefetch_to", lookup) for lookup in findings._prefetch_related_lookups
    }
    missing = [lookup for lookup in ("themes", "source__themes") if lookup not in present]
    findings = findings.prefetch_related(*missing)
    if findings.query.select_related is not True:  # True: every relation joined already
        findings = findings.select_related("source")
    return findings
