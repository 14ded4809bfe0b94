"""Inputs of the records benchmark: gold records, the pages they describe, the theme vocabulary.

Gold records are Markdown records (docs/record-format.md) read with the project's own
parser. Each names its page by the `Page:` item of its Other section (the last path part is
the page key) or, without one, by its file name (`<key>.md`). Pages come from either

- a folder in the article-extraction-benchmark layout: `ground-truth.json`
  (`{key: {"articleBody", "url"}}`) and `html/<key>.html`; or
- any folder of `<key>.txt` (plain text; a first line starting with "# " is the title) or
  `<key>.html` files (the project's extraction gives title and text).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from apps.classification import Page
from apps.records.parser import parse_record
from apps.sources.pipeline.extract import extract_html, page_title

TEXT_SOURCES = ("truth", "extracted")


@dataclass(frozen=True)
class GoldRecord:
    key: str
    path: Path
    themes: list[str]
    category: str
    signals: list[dict]  # name, description, change

    def as_dict(self) -> dict:
        return {"themes": self.themes, "category": self.category, "signals": self.signals}


def page_key(record, path: Path) -> str:
    for label, value in record.other_fields:
        if label.casefold() == "page" and value.strip():
            return value.strip().rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    return path.stem


def load_gold(folder: Path) -> list[GoldRecord]:
    """Every `*.md` record of `folder`, parsed strictly (a broken record stops the run)."""
    records = []
    for path in sorted(folder.glob("*.md")):
        record = parse_record(path.read_bytes(), path=str(path))
        signals = [
            {"name": row.name, "description": row.description, "change": row.change}
            for row in record.signals
        ]
        records.append(
            GoldRecord(page_key(record, path), path, record.themes, record.category, signals)
        )
    return records


class PageSource:
    """The pages of one folder, as `apps.classification.Page`s, by key."""

    def __init__(self, folder: Path, text_source: str = "truth"):
        self.folder = folder
        self.text_source = text_source
        truth = folder / "ground-truth.json"
        self._truth = json.loads(truth.read_text(encoding="utf-8")) if truth.is_file() else None

    @property
    def layout(self) -> str:
        return "article-extraction-benchmark" if self._truth is not None else "folder of files"

    def has(self, key: str) -> bool:
        if self._truth is not None:
            return key in self._truth
        return any((self.folder / f"{key}{suffix}").is_file() for suffix in (".txt", ".html"))

    def page(self, key: str) -> Page:
        if self._truth is not None:
            return self._benchmark_page(key)
        text_file = self.folder / f"{key}.txt"
        if text_file.is_file():
            lines = text_file.read_text(encoding="utf-8").splitlines()
            title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
            return Page(title=title, text="\n".join(lines[1:] if title else lines).strip())
        return _extracted(self.folder / f"{key}.html", url="")

    def _benchmark_page(self, key: str) -> Page:
        entry = self._truth[key]
        url = entry.get("url") or ""
        html = self.folder / "html" / f"{key}.html"
        if self.text_source == "extracted":
            return _extracted(html, url=url)
        title = (
            page_title(html.read_text(encoding="utf-8", errors="replace")) if html.is_file() else ""
        )
        return Page(url=url, title=title, text=entry.get("articleBody") or "")


def _extracted(path: Path, *, url: str) -> Page:
    found = extract_html(path.read_text(encoding="utf-8", errors="replace"), url=url)
    return Page(
        url=url,
        title=found.title,
        text=found.text,
        site_name=found.site_name,
        description=found.description,
        published=found.published_on,
        language=found.language,
    )


def load_vocabulary(path: Path) -> dict[str, list[str]]:
    """{theme: [aliases]} from a text file: one theme a line, `name: alias; alias`, # comments."""
    themes: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, aliases = line.partition(":")
        themes[name.strip()] = [a.strip() for a in aliases.split(";") if a.strip()]
    return themes
