"""What every classifier takes and gives: a page and the vocabulary in, a result out."""

from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from .schema import ClassificationResult

# The defaults seeded by apps/knowledge/migrations/0003_default_vocabularies.py.
DEFAULT_CATEGORIES = (
    "social",
    "technology",
    "economic",
    "environmental",
    "political",
    "values",
    "business",
    "science",
    "city",
    "others",
)
DEFAULT_TYPES = (
    "news",
    "blog post",
    "research article",
    "report",
    "opinion",
    "podcast",
    "video",
    "other",
)


@dataclass(frozen=True)
class Page:
    """The extracted page: its text and whatever metadata extraction found (empty if none)."""

    url: str = ""
    title: str = ""
    text: str = ""
    site_name: str = ""
    description: str = ""
    published: date | None = None
    language: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """The names a classifier may assign.

    `themes` holds the approved themes only, each as (name, aliases); a classifier returns
    the name, never an alias. `proposed` holds the names of the themes proposed to editors
    and still pending: a classifier that proposes themes reuses one of these, by its exact
    name, rather than proposing a near-duplicate. Hashable, so a classifier can cache what it
    compiles from it.
    """

    themes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    types: tuple[str, ...] = DEFAULT_TYPES
    proposed: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        themes: dict[str, list[str]] | list[str] | None = None,
        categories: list[str] | tuple[str, ...] = DEFAULT_CATEGORIES,
        types: list[str] | tuple[str, ...] = DEFAULT_TYPES,
        proposed: list[str] | tuple[str, ...] = (),
    ) -> "Vocabulary":
        """From plain lists: themes as names, or as {name: [aliases]}; pending proposals."""
        if isinstance(themes, dict):
            pairs = tuple((name, tuple(aliases)) for name, aliases in themes.items())
        else:
            pairs = tuple((name, ()) for name in themes or ())
        return cls(
            themes=pairs,
            categories=tuple(categories),
            types=tuple(types),
            proposed=tuple(proposed),
        )


@runtime_checkable
class Classifier(Protocol):
    """Turns a page into a result; raises schema.ClassificationError when it cannot."""

    name: str

    def classify(self, page: Page, vocabulary: Vocabulary) -> ClassificationResult: ...
