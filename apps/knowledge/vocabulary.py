"""How names of themes and keywords are compared: one key per spelling variant."""

import hashlib
import re

from django.utils.text import slugify

_SPACES = re.compile(r"[\s_\-‐-―]+")


def display_name(raw: str) -> str:
    """Tidy a name for display: single spaces, no surrounding blanks."""
    return " ".join(raw.split())


def name_key(raw: str) -> str:
    """The comparison key: case, spacing and hyphens do not matter ("Open-Source" = "open source")."""
    key = slugify(_SPACES.sub(" ", raw.casefold()), allow_unicode=True)
    if key:
        return key
    # A name made only of punctuation still needs a stable, unique key.
    return "x-" + hashlib.sha1(raw.encode()).hexdigest()[:12]
