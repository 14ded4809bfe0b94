"""Write a `Record` as Markdown, in the layout of the seed records.

Tables use tabulate's "pipe" format, the same layout the seed records were written in,
so an exported seed reads the same as the file it came from.
"""

from tabulate import tabulate

from apps.records.format import (
    COLUMN_HEADERS,
    FINDING_COLUMNS,
    FINDING_SECTIONS,
    SIGNAL_COLUMNS,
    FindingRow,
    Record,
)
from apps.records.links import write_destination, write_label


def render_record(record: Record) -> str:
    title = f"# __{_line(record.title)}__"
    if record.via_url:
        label, url = write_label(_line(record.via_label)), write_destination(record.via_url)
        title += f", from ([{label}]({url}).)"
    head = f"{title}\n\n__[External link]({write_destination(record.url)})__\n\n\n\n"
    sections = [_section(heading, body) for heading, body in _sections(record) if body]
    return head + "\n\n".join(sections) + "\n"


def _sections(record: Record):
    yield "Keywords", _bullets(record.keywords)
    yield "Themes", _bullets(record.themes)
    other = []
    if record.category:
        other.append(("Category", record.category))
    if record.source_type:
        other.append(("Type", record.source_type))
    other.extend(record.other_fields)
    yield "Other", _bullets(f"{label}: {value}" for label, value in other)
    yield "Summary", record.summary.strip()
    for heading, kind in FINDING_SECTIONS.items():
        columns = SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS
        yield heading, _table(record.findings(kind), columns)
    for extra in record.extra_sections:
        yield extra.heading, extra.body.strip()


def _section(heading: str, body: str) -> str:
    return f"## {heading}\n\n{body}"


def _bullets(items) -> str:
    return "\n".join(f"* {_line(item)}" for item in items)


def _table(rows: list[FindingRow], columns: tuple[str, ...]) -> str:
    if not rows:
        return ""
    # A table whose rows carry no relevancy is written without that column, as it came.
    if all(row.relevancy is None for row in rows):
        columns = tuple(column for column in columns if column != "relevancy")
    body = [[_cell(getattr(row, column)) for column in columns] for row in rows]
    return tabulate(
        body,
        headers=[COLUMN_HEADERS[column] for column in columns],
        tablefmt="pipe",
        disable_numparse=True,
        colalign=["right" if column == "relevancy" else "left" for column in columns],
    )


def _cell(value) -> str:
    if value is None:
        return ""
    return _line(str(value)).replace("|", "\\|")


def _line(text: str) -> str:
    """A value that must stay on one line (titles, cells, bullets)."""
    return " ".join(text.split())
