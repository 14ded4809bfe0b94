"""Turning fetched bytes into main text and metadata (trafilatura), or saying why not."""

import io
import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from apps.sources.pipeline import prune
from apps.sources.pipeline.failures import Blocked, Failure, NoContent

MIN_TEXT_CHARS = 250  # below this a page has no article worth classifying

# Interstitials, recognised by what they say (title or a short text), not by who serves them.
_CHALLENGE = re.compile(
    r"just a moment\.\.\.|attention required!? \| cloudflare|checking your browser|"
    r"verify (that )?you are (a )?human|are you a robot|enable javascript and cookies to continue|"
    r"ddos protection by|captcha|access denied|request unsuccessful\. incapsula",
    re.I,
)
_LOGIN = re.compile(
    r"(sign|log) ?in to (continue|read|view)|you must be logged in|create a free account to "
    r"(continue|read)|login required",
    re.I,
)
_PAYWALL = re.compile(
    r"subscribe (now )?to (continue|keep) reading|this (article|content) is (only )?available "
    r"to (paying )?subscribers|already a subscriber\?|to continue reading,? (please )?subscribe",
    re.I,
)
_COOKIE_WALL = re.compile(
    r"we value your privacy|accept (all )?cookies to continue|before you continue to|"
    r"cookie (consent|settings)|consent to (the use of )?cookies",
    re.I,
)


@dataclass
class Extraction:
    text: str
    title: str = ""
    author: str = ""
    published_on: date | None = None
    site_name: str = ""
    description: str = ""
    language: str = ""


def decode_html(body: bytes, charset: str = "") -> str:
    """Decode with the charset from the header, a BOM, a meta tag, or detection, in that order."""
    content_type = f"text/html; charset={charset}" if charset else None
    _encoding, text = html_to_unicode(content_type, body)
    return text


def extract(body: bytes, *, content_type: str, charset: str = "", url: str = "") -> Extraction:
    if content_type == "application/pdf":
        return _extract_pdf(body)
    if content_type == "text/plain":
        text = decode_html(body, charset).strip()
        return _checked(Extraction(text=text), raw_title="")
    return extract_html(decode_html(body, charset), url=url)


def extract_html(markup: str, *, url: str = "") -> Extraction:
    page = prune.pruned_tree(markup) if prune.needs_pruning(markup) else markup
    document = trafilatura.bare_extraction(
        page, url=url or None, with_metadata=True, include_comments=False, include_tables=True
    )
    raw_title = page_title(markup)
    if document is None:
        refuse_interstitial(raw_title, "")
        raise NoContent("no main text found on the page")
    found = Extraction(
        text=(document.text or "").strip(),
        title=(document.title or raw_title or "").strip()[:500],
        author=(document.author or "").strip()[:300],
        published_on=_date(document.date),
        site_name=(document.sitename or "").strip()[:200],
        description=(document.description or "").strip(),
        language=(document.language or _html_lang(markup))[:20],
    )
    return _checked(found, raw_title=raw_title)


def _checked(found: Extraction, *, raw_title: str) -> Extraction:
    short = len(found.text) < MIN_TEXT_CHARS * 4
    refuse_interstitial(raw_title or found.title, found.text if short else "")
    if len(found.text) < MIN_TEXT_CHARS:
        raise NoContent(
            f"the page has almost no text ({len(found.text)} characters); paste the text or "
            "upload the page instead"
        )
    return found


def refuse_interstitial(title: str, short_text: str) -> None:
    """Raise Blocked when the title, or the text of a short page, reads like a wall."""
    sample = f"{title}\n{short_text[:2000]}"
    for pattern, code, message in (
        (_CHALLENGE, "challenge", "blocked: challenge page"),
        (_LOGIN, "login_wall", "blocked: login wall"),
        (_PAYWALL, "paywall", "blocked: paywall"),
        (_COOKIE_WALL, "cookie_wall", "blocked: cookie wall"),
    ):
        if pattern.search(sample):
            raise Blocked(code, message)


def _extract_pdf(body: bytes) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        text = "\n".join((page.extract_text() or "") for page in reader.pages[:200]).strip()
        title = str((reader.metadata or {}).get("/Title") or "")
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise Failure("bad_pdf", f"the PDF cannot be read ({error})") from None
    return _checked(Extraction(text=text, title=title[:500]), raw_title="")


def page_title(markup: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", markup[:200_000], re.I | re.S)
    return " ".join(match.group(1).split()) if match else ""


def _html_lang(markup: str) -> str:
    try:
        root = lxml_html.fromstring(markup[:200_000].encode("utf-8", "replace"))
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    return (root.get("lang") or "").strip()


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
