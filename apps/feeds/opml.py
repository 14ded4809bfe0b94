"""OPML, the subscription list format every feed reader imports and exports.

Reading uses the standard library's expat parser, which refuses external entities and
(with expat 2.4 and later) entity expansion bombs; nothing here fetches anything.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OUTLINES = 2000


class OpmlError(ValueError):
    """The file as a whole cannot be read as OPML."""


@dataclass
class Outline:
    line: int
    url: str
    title: str = ""
    interval: int | None = None
    theme: str = ""


@dataclass
class Refused:
    line: int
    text: str
    reason: str


@dataclass
class OpmlRead:
    outlines: list[Outline] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def _line_numbers(data: bytes) -> dict[int, int]:
    """The line of each <outline> start tag, in document order (ElementTree keeps none)."""
    parser = ET.XMLPullParser(events=("start",))
    lines, count = {}, 0
    for number, text in enumerate(data.splitlines(keepends=True), 1):
        parser.feed(text)
        for _event, element in parser.read_events():
            if element.tag == "outline":
                lines[count] = number
                count += 1
    return lines


def opml_read(data: bytes) -> OpmlRead:
    """Every outline with an xmlUrl; the refused ones with their line and why."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MB")
    try:
        root = ET.fromstring(data)
        lines = _line_numbers(data)
    except ET.ParseError as error:
        raise OpmlError(f"not readable as XML ({error})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError("not an OPML file: it has no <opml> root with a <body>")
    result = OpmlRead()
    for index, outline in enumerate(root.iter("outline")):
        line = lines.get(index, 0)
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = (outline.get("title") or outline.get("text") or "").strip()
        if not url:
            if len(outline) == 0:  # a folder holds outlines; an empty leaf is a mistake
                result.refused.append(Refused(line, title or "(no title)", "no xmlUrl"))
            continue
        if len(result.outlines) >= MAX_OUTLINES:
            result.refused.append(Refused(line, url, f"more than {MAX_OUTLINES} feeds in one file"))
            continue
        interval, problem = _interval(outline.get("spyglassInterval"))
        if problem:
            result.refused.append(Refused(line, url, problem))
            continue
        theme = (outline.get("spyglassTheme") or "").strip()
        # A feed without a title is written with its address as the required text.
        result.outlines.append(Outline(line, url, "" if title == url else title, interval, theme))
    return result


def _interval(raw: str | None) -> tuple[int | None, str]:
    if raw is None or not raw.strip():
        return None, ""
    if not raw.strip().isdigit():
        return None, f"the interval “{raw}” is not a whole number of minutes"
    return int(raw.strip()), ""


def opml_write(feeds, *, title: str = "Spyglass feeds") -> bytes:
    """An OPML 2.0 file of `feeds`; Spyglass's own interval and theme as extra attributes
    (other readers ignore them), so an export imports back as it was."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": str(feed), "xmlUrl": feed.url}
        if feed.title:
            attributes["title"] = feed.title
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        attributes["spyglassInterval"] = str(feed.interval_minutes)
        if feed.theme_id:
            attributes["spyglassTheme"] = feed.theme.name
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
