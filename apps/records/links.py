"""Link destinations and labels in records, written so that the parser reads back exactly.

A plain destination `(https://example.org/a)` is what the seed records use and what people
write, so a URL that reads back unchanged is written that way. Anything else (parentheses,
`<`, `>`, a backslash) is written as a CommonMark angle-bracket destination with backslash
escapes, `(<https://host/Mercury_(planet)\\>>)`, which needs no balancing and holds any
character a URL may carry. The parser reads both, and plain destinations with one level of
parentheses, as older records and Wikipedia links have them.
"""

import re

# Read: an angle-bracket destination (escapes allowed), or a plain one with at most one
# level of balanced parentheses. Written: only plain ones that this pattern reads back.
ANGLE_DESTINATION = r"<(?:[^<>\\\n]|\\.)*>"
PLAIN_DESTINATION = r"(?:[^()\s<>\\]|\([^()\s<>\\]*\))+"
DESTINATION = rf"(?:{ANGLE_DESTINATION}|{PLAIN_DESTINATION})"
LABEL = r"(?:[^\[\]\\\n]|\\.)*"

_PLAIN = re.compile(PLAIN_DESTINATION)
_ESCAPED = re.compile(r"\\(.)")


def write_destination(url: str) -> str:
    if url and _PLAIN.fullmatch(url):
        return url
    escaped = url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    return f"<{escaped}>"


def read_destination(written: str) -> str:
    if written.startswith("<") and written.endswith(">"):
        return _ESCAPED.sub(r"\1", written[1:-1])
    return written


def write_label(label: str) -> str:
    return label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def read_label(written: str) -> str:
    return _ESCAPED.sub(r"\1", written)
