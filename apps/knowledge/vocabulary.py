"""How names of themes and keywords are compared: one key per spelling variant."""

import hashlib
import re

from django.utils.text import slugify

# Underscores, hyphens and the Unicode dashes (U+2010 to U+2015) all count as spaces.
_SPACES = re.compile(r"[\s_\-\u2010-\u2015]+")


def display_name(raw: str) -> str:
    """Tidy a name for display: single spaces, no surrounding blanks."""
    return " ".join(raw.split())


def name_key(raw: str) -> str:
    """The comparison key: case, spacing and hyphens do not matter.

    "Open-Source", "open source" and "open_source" share the key "open-source".
    """
    key = slugify(_SPACES.sub(" ", raw.casefold()), allow_unicode=True)
    if key:
        return key
    # A name made only of punctuation still needs a stable, unique key.
    return "x-" + hashlib.sha1(raw.encode()).hexdigest()[:12]
