"""Findings as CSV or JSON rows, for reports: the explorer's filter chooses, these write.

CSV cells are made safe for spreadsheets: a cell a spreadsheet would read as a formula
(starting with = + - @, a tab or a carriage return) is prefixed with a quote, per OWASP's
advice on CSV injection, because finding text comes from fetched pages.
"""

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet

from apps.knowledge.explorer import carried_themes
from apps.knowledge.models import FINDING_MODELS, Finding
from apps.records.format import COLUMN_HEADERS, FINDING_COLUMNS, SIGNAL_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SOURCE_HEADERS = ("themes", "source_id", "source_title", "source_url", "date")


def columns_for(kind: str) -> tuple[str, ...]:
    if kind not in FINDING_MODELS:
        raise ValueError(f"unknown kind of finding: {kind!r}")
    return SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS


def findings_json(findings: Iterable[Finding], *, kind: str) -> list[dict]:
    """One dict per finding: its values, theme names, source and date."""
    columns = columns_for(kind)
    rows = []
    for finding in _prepared(findings):
        source = finding.source
        row = {"id": finding.pk, "kind": kind}
        row.update({column: getattr(finding, column) for column in columns})
        row["themes"] = theme_names(finding)
        row["own_themes"] = [theme.name for theme in finding.themes.all()]
        row["confidence"] = finding.confidence
        row["draft"] = finding.draft
        row["source"] = {"id": source.pk, "title": source.title, "url": source.url}
        row["date"] = finding_date(finding).isoformat()
        rows.append(row)
    return rows


def findings_csv(findings: Iterable[Finding], *, kind: str) -> str:
    """A header row with the kind's columns, then one row per finding; formula-safe."""
    columns = columns_for(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", *(COLUMN_HEADERS[column] for column in columns), *SOURCE_HEADERS])
    for row in findings_json(findings, kind=kind):
        source = row["source"]
        cells = [row["id"], *(row[column] for column in columns), "; ".join(row["themes"])]
        cells += [source["id"], source["title"], source["url"], row["date"]]
        writer.writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


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


def _prepared(findings: Iterable[Finding]) -> Iterable[Finding]:
    """Add the joins the rows need to a queryset that lacks them (a fixed query count)."""
    if not isinstance(findings, QuerySet):
        return findings
    # Lookups the caller already prefetched (maybe with their own querysets) are kept.
    present = {
        getattr(lookup, "prefetch_to", lookup) for lookup in findings._prefetch_related_lookups
    }
    missing = [lookup for lookup in ("themes", "source__themes") if lookup not in present]
    findings = findings.prefetch_related(*missing)
    if findings.query.select_related is not True:  # True: every relation joined already
        findings = findings.select_related("source")
    return findings
