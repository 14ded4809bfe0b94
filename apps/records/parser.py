"""Read a Markdown record (see docs/record-format.md) into a `Record`, or say what is wrong.

A strict line-by-line reader rather than a general Markdown library: the format is small,
and a strict reader can name the line and the cell that breaks it, where a Markdown
renderer silently pads or drops table cells.
"""

import re
from collections.abc import Iterator

from apps.records.format import FINDING_SECTIONS, ExtraSectionData, FindingRow, Record, RecordError
from apps.records.links import DESTINATION, LABEL, read_destination, read_label
from apps.records.tables import is_separator, split_row
from apps.sources.canonical import MAX_URL_LENGTH, InvalidURL, canonical_url

MAX_TITLE = 500
MAX_NAME = 300
MAX_KEYWORD = 200
MAX_THEME = 120
MAX_VOCABULARY = 80

MAX_VIA_LABEL = 300
# The title, the via link and the words around them; a longer line is refused before any
# pattern runs on it, so reading a title line stays linear in what is accepted.
MAX_TITLE_LINE = MAX_TITLE + MAX_URL_LENGTH + 2 * MAX_VIA_LABEL + 100

# The via link closing a title line, in the spellings record files use:
#   "# __Title__, from ([label](url).)"      (what Spyglass writes)
#   "# __Title__, (from page [label](url).)" (another team's knowledge base)
# and their variants: with or without the comma, the brackets, the final stop, or words
# such as "page" between "from" and the link. Tried at each "from" from the right.
_VIA = re.compile(
    rf",?\s*\(?\s*from\b[^\[\]()]{{0,40}}?\(?\s*\[(?P<label>{LABEL})\]"
    rf"\((?P<url>{DESTINATION})\)\s*\.?\s*\)?\s*$",
    re.I,
)
_FROM = re.compile(r"\bfrom\b", re.I)
_EXTERNAL = re.compile(
    rf"^(?:__|\*\*)?\[External link\]\((?P<url>{DESTINATION})\)(?:__|\*\*)?$", re.I
)
_HEADING = re.compile(r"^##\s+(?P<heading>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[*+-]\s+(?P<item>.*)$")

KNOWN_SECTIONS = {"keywords", "themes", "other", "summary"} | {
    heading.lower() for heading in FINDING_SECTIONS
}

# Header text (normalised) -> column. Older records name the first column after the kind.
_HEADER_ALIASES = {
    "name": "name",
    "signal": "name",
    "behavior": "name",
    "behaviour": "name",
    "technology": "name",
    "issue": "name",
    "description": "description",
    "change": "change",
    "10 year": "ten_year",
    "10y": "ten_year",
    "10y horizon": "ten_year",
    "10 year horizon": "ten_year",
    "10 year outlook": "ten_year",
    "ten year": "ten_year",
    "driving force": "driving_force",
    "relevancy": "relevancy",
    "relevance": "relevancy",
}
_SIGNAL_ONLY = {"change", "ten_year", "driving_force"}


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise RecordError("this looks like a binary file, not a Markdown record")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordError(
            f"the file is not UTF-8 text (undecodable byte at offset {error.start}); "
            "save it as UTF-8 and import it again"
        ) from None


def parse_record(text: str | bytes, *, path: str = "") -> Record:
    """Parse one record. Raises RecordError naming the line and what was expected."""
    try:
        if isinstance(text, bytes):
            text = decode(text)
        return _Reader(text).read()
    except RecordError as error:
        error.path = path
        raise RecordError(error.message, line=error.line, path=path) from None


class _Reader:
    def __init__(self, text: str):
        normalised = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = list(enumerate(normalised.split("\n"), start=1))

    def read(self) -> Record:
        blocks = list(self._blocks())
        preamble = blocks[0][2]
        record = self._read_preamble(preamble)
        seen: dict[str, int] = {}
        for heading, line, body in blocks[1:]:
            key = heading.rstrip(":").strip().lower()
            if key in KNOWN_SECTIONS:
                if key in seen:
                    raise RecordError(
                        f"a second '## {heading}' section (the first is on line {seen[key]})",
                        line=line,
                    )
                seen[key] = line
                self._read_known(record, key, heading, body)
            else:
                record.extra_sections.append(ExtraSectionData(heading=heading, body=_text(body)))
        return record

    def _blocks(self) -> Iterator[tuple[str, int, list[tuple[int, str]]]]:
        """Yield (heading, line, body lines); the first block is everything before a heading."""
        heading, heading_line, body = "", 0, []
        for number, line in self.lines:
            match = _HEADING.match(line.strip())
            if match:
                yield heading, heading_line, body
                heading, heading_line, body = match["heading"], number, []
            else:
                body.append((number, line.rstrip()))
        yield heading, heading_line, body

    def _read_preamble(self, body: list[tuple[int, str]]) -> Record:
        content = [(number, line.strip()) for number, line in body if line.strip()]
        if not content:
            raise RecordError("the file is empty: expected a title line '# __Title__'", line=1)
        number, first = content[0]
        if not first.startswith("# "):
            raise RecordError(
                "expected the title line '# __Title__' "
                "(optionally followed by ', from ([label](URL).)')",
                line=number,
            )
        title, via_label, via_url = _parse_title(first[2:].strip(), number)
        url = ""
        for number, line in content[1:]:
            match = _EXTERNAL.match(line)
            if not match or url:
                raise RecordError(
                    "expected the source link '__[External link](URL)__' or a '## Section' "
                    f"heading, found {_quote(line)}",
                    line=number,
                )
            url = _checked_url(match["url"], number)
        if not url:
            raise RecordError(
                "the record has no source link: expected '__[External link](URL)__' "
                "on a line after the title",
                line=content[0][0],
            )
        return Record(title=title, url=url, via_url=via_url, via_label=via_label)

    def _read_known(self, record: Record, key: str, heading: str, body) -> None:
        if key == "keywords":
            record.keywords = _bullets(body, heading, MAX_KEYWORD)
        elif key == "themes":
            record.themes = _bullets(body, heading, MAX_THEME)
        elif key == "other":
            _read_other(record, body, heading)
        elif key == "summary":
            record.summary = _text(body)
        else:
            kind = FINDING_SECTIONS[key.capitalize()]
            setattr(record, kind, _table(body, heading, kind))


def _parse_title(raw: str, line: int) -> tuple[str, str, str]:
    if len(raw) > MAX_TITLE_LINE:
        raise RecordError(f"the title line is longer than {MAX_TITLE_LINE} characters", line=line)
    via_label = via_url = ""
    match = _via(raw)
    if match:
        via_label = read_label(match["label"])
        if len(via_label) > MAX_VIA_LABEL:
            raise RecordError(f"the via label is longer than {MAX_VIA_LABEL} characters", line=line)
        via_url = _checked_url(match["url"], line, what="via link")
        raw = raw[: match.start()].strip()
    for marker in ("__", "**"):
        if len(raw) > 2 * len(marker) and raw.startswith(marker) and raw.endswith(marker):
            raw = raw[len(marker) : -len(marker)].strip()
            break
    if not raw:
        raise RecordError("the title is empty", line=line)
    if len(raw) > MAX_TITLE:
        raise RecordError(f"the title is longer than {MAX_TITLE} characters", line=line)
    return raw, via_label, via_url


def _via(raw: str) -> re.Match | None:
    """The via link that ends the line: the match starting at the right-most "from" that
    reads to the end, so a title that itself contains "from" keeps it."""
    for found in reversed(list(_FROM.finditer(raw))):
        start = found.start()
        # Back up over the optional "(" and "," (and spaces) that may open the via part.
        while start and raw[start - 1] in " \t(,":
            start -= 1
        match = _VIA.match(raw, start)
        if match:
            return match
    return None


def _checked_url(url: str, line: int, what: str = "link") -> str:
    url = read_destination(url)
    try:
        canonical_url(url)
    except InvalidURL as error:
        raise RecordError(f"the {what} {_quote(url)} is not usable: {error}", line=line) from None
    return url


def _bullets(body, heading: str, max_length: int) -> list[str]:
    items = []
    for number, line in body:
        if not line.strip():
            continue
        match = _BULLET.match(line.strip())
        if not match:
            raise RecordError(
                f"expected a bullet ('* item') in the {heading} section, found {_quote(line)}",
                line=number,
            )
        item = " ".join(match["item"].split())
        if not item:
            raise RecordError(f"an empty bullet in the {heading} section", line=number)
        if len(item) > max_length:
            raise RecordError(
                f"an item in the {heading} section is longer than {max_length} characters",
                line=number,
            )
        items.append(item)
    return items


def _read_other(record: Record, body, heading: str) -> None:
    for number, item in zip(_bullet_lines(body), _bullets(body, heading, 1000), strict=True):
        label, colon, value = item.partition(":")
        if not colon:
            raise RecordError(
                f"expected 'Label: value' (such as 'Category: technology'), found {_quote(item)}",
                line=number,
            )
        label, value = label.strip(), value.strip()
        if label.lower() in ("category", "type"):
            if len(value) > MAX_VOCABULARY:
                raise RecordError(
                    f"the {label.lower()} is longer than {MAX_VOCABULARY} characters", line=number
                )
            if label.lower() == "category":
                record.category = value
            else:
                record.source_type = value
        else:
            record.other_fields.append((label, value))


def _bullet_lines(body) -> list[int]:
    return [number for number, line in body if line.strip()]


def _text(body) -> str:
    return "\n".join(line for _, line in body).strip("\n").strip()


def _table(body, heading: str, kind: str) -> list[FindingRow]:
    rows = [(number, line.strip()) for number, line in body if line.strip()]
    if not rows:
        return []
    header_line, header = rows[0]
    if "|" not in header:
        raise RecordError(
            f"expected a table in the {heading} section (a header row like "
            f"'| name | description | relevancy |'), found {_quote(header)}",
            line=header_line,
        )
    columns = _columns(split_row(header), heading, kind, header_line)
    if len(rows) < 2 or not is_separator(split_row(rows[1][1]), len(columns)):
        number = rows[1][0] if len(rows) > 1 else header_line
        raise RecordError(
            f"expected the separator row under the {heading} table header "
            f"(like '|:---|---:|' with {len(columns)} cells)",
            line=number,
        )
    findings = []
    for number, line in rows[2:]:
        if "|" not in line:
            raise RecordError(
                f"expected a table row ('| ... |') in the {heading} section, found {_quote(line)}",
                line=number,
            )
        cells = split_row(line)
        if len(cells) != len(columns):
            raise RecordError(
                f"expected {len(columns)} cells in this {heading} row "
                f"({' | '.join(columns)}), found {len(cells)}",
                line=number,
            )
        values = dict(zip(columns, cells, strict=True))
        findings.append(_finding(values, heading, number))
    return findings


def _columns(cells: list[str], heading: str, kind: str, line: int) -> list[str]:
    columns = []
    for cell in cells:
        normalised = " ".join(cell.lower().replace("-", " ").replace("_", " ").split())
        column = _HEADER_ALIASES.get(normalised)
        if column is None or (column in _SIGNAL_ONLY and kind != "signals"):
            allowed = "name, description, relevancy"
            if kind == "signals":
                allowed = "name, description, change, 10-year, driving-force, relevancy"
            raise RecordError(
                f"unknown column {_quote(cell)} in the {heading} table; expected some of: "
                f"{allowed}",
                line=line,
            )
        if column in columns:
            raise RecordError(f"the column {_quote(cell)} appears twice", line=line)
        columns.append(column)
    if "name" not in columns:
        raise RecordError(f"the {heading} table has no name column", line=line)
    return columns


def _finding(values: dict[str, str], heading: str, line: int) -> FindingRow:
    name = values.pop("name")
    if not name:
        raise RecordError(f"a {heading} row has an empty name cell", line=line)
    if len(name) > MAX_NAME:
        raise RecordError(f"a name is longer than {MAX_NAME} characters", line=line)
    relevancy = _relevancy(values.pop("relevancy", ""), line)
    return FindingRow(name=name, relevancy=relevancy, line=line, **values)


def _relevancy(cell: str, line: int) -> int | None:
    if cell.lower() in ("", "nan", "none", "-"):
        return None
    try:
        number = float(cell)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not 1 <= number <= 5:
        raise RecordError(
            f"relevancy must be a whole number from 1 to 5, found {_quote(cell)}", line=line
        )
    return int(number)


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
