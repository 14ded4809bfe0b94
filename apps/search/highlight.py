"""Highlighted text that is safe to show as HTML, whatever the stored text holds.

The database wraps matched words in markers that are random for each search; the text is
escaped first and only then are the markers turned into <mark> tags. A stored "<script>"
comes out escaped, and stored text cannot forge a marker it never saw.
"""

import secrets
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Markers:
    start: str
    stop: str

    @classmethod
    def fresh(cls) -> "Markers":
        # Letters and digits only: escaping leaves them alone, and ts_headline's options
        # need no quoting.
        token = secrets.token_hex(8)
        return cls(f"hlstart{token}x", f"hlstop{token}x")

    def html(self, text: str | None) -> SafeString:
        """`text` escaped, with the marked words in <mark>."""
        escaped = str(escape(text or ""))
        return mark_safe(escaped.replace(self.start, "<mark>").replace(self.stop, "</mark>"))

    def found_in(self, text: str | None) -> bool:
        return bool(text) and self.start in text
