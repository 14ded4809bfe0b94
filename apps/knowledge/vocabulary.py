"""How names of themes and keywords are compared: one key per spelling variant."""

import hashlib
import re

from django.utils.text import slugify

from apps.core.wording import shorten  # noqa: F401  (re-exported: callers import it from here)

# Underscores, hyphens and the Unicode dashes (U+2010 to U+2015) all count as spaces.
_SPACES = re.compile(r"[\s_\-\u2010-\u2015]+")
# Control characters no name needs; PostgreSQL refuses NUL in any text, even in a lookup.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
# The longest theme name (Theme.name's column). People's longer names are refused
# (themes.too_long); machines' are shortened at a word boundary (shorten).
THEME_NAME_MAX = 120


def display_name(raw: str) -> str:
    """Tidy a name for display: no control characters, single spaces, no surrounding blanks."""
    return " ".join(_CONTROLS.sub(" ", raw).split())


def has_word(name: str) -> bool:
    """A letter or a digit in any script: "?!" or "--" name nothing a reader could find."""
    return any(char.isalnum() for char in name)


def name_key(raw: str) -> str:
    """The comparison key: case, spacing and hyphens do not matter.

    "Open-Source", "open source" and "open_source" share the key "open-source".
    """
    key = slugify(_SPACES.sub(" ", raw.casefold()), allow_unicode=True)
    if key:
        return key
    # A name made only of punctuation still needs a stable, unique key.
    return "x-" + hashlib.sha1(raw.encode()).hexdigest()[:12]


def singular_keys(key: str) -> list[str]:
    """English singulars of a key's last word, most likely first: "cities" -> "city"."""
    head, _, last = key.rpartition("-")
    prefix = f"{head}-" if head else ""
    if len(last) < 4 or not last.endswith("s") or last.endswith("ss"):
        return []
    forms = []
    if last.endswith("ies"):
        forms.append(last[:-3] + "y")
    if last.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.append(last[:-2])
    forms.append(last[:-1])
    return [prefix + form for form in forms]
