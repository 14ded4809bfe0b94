"""Cleaning of the strings in a result: control characters, whitespace, leaks, lengths."""

import re
import unicodedata

from apps.core.wording import shorten

from . import limits

_SPACE = re.compile(r"\s+")
# ASCII control characters other than the whitespace ones (tab, newlines, form feed).
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Control, format (bidi overrides, zero widths), surrogate, private-use and unassigned.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Hyphens, underscores and the Unicode dashes count as spaces when names are compared.
_KEY_SPACE = re.compile(r"[\s_\-\u2010-\u2015]+")
_LEAK_WORDS = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in limits.LEAK_PHRASES) + r")(?!\w)",
    re.IGNORECASE,
)
# Bullets, quotes and trailing punctuation a model wraps around a name. A leading dot is kept
# (".NET"), and so are closing brackets of a name like "LoRA (Low-Rank Adaptation)".
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_LEADING = "-*\u2022\u00b7\u2013\u2014 " + _QUOTES
_TRAILING = ".,;: " + _QUOTES


def clean_text(value: str) -> str:
    """Drop control and format characters (bidi overrides, zero widths), collapse whitespace."""
    if value.isascii():
        return _SPACE.sub(" ", _ASCII_CONTROL.sub("", value)).strip()
    kept = []
    for char in value:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    return _SPACE.sub(" ", "".join(kept)).strip()


def cut(value: str, limit: int) -> str:
    """Cut at the last word boundary within `limit` (mid-word only if one word is too long),
    never leaving a dangling "of the" (the same rule as a machine's theme name)."""
    return shorten(value, limit)


def clean_prose(value: str, limit: int) -> str:
    """A summary or description: cleaned and cut. Quoting the page is its job, so no leak rule."""
    return cut(clean_text(value), limit)


def looks_leaked(value: str) -> bool:
    """True when a short name carries markup, output-format words or the model's own voice."""
    return any(mark in value for mark in limits.LEAK_MARKS) or bool(_LEAK_WORDS.search(value))


def clean_label(value: str, limit: int) -> str:
    """A short name: cleaned, then dropped ("") if it looks leaked or is prose, else cut.

    The rule, in order: control characters removed and whitespace collapsed; wrapping bullets,
    quotes and trailing punctuation stripped; empty if it contains a leak mark or phrase
    (limits.LEAK_MARKS, limits.LEAK_PHRASES); empty if longer than PROSE_FACTOR times the
    limit; otherwise cut at a word boundary to the limit.
    """
    text = clean_text(value).lstrip(_LEADING).rstrip(_TRAILING)
    if not text or looks_leaked(text) or len(text) > limits.PROSE_FACTOR * limit:
        return ""
    return cut(text, limit)


def name_key(value: str) -> str:
    """Comparison key for duplicates: case, spacing and hyphens do not matter."""
    return _KEY_SPACE.sub(" ", value.casefold()).strip()
