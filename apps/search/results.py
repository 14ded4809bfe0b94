"""What a search answers: plain data shared by both databases' backends, the page and the API."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString

from apps.search.query import ParsedQuery

KIND_LABELS = {
    "sources": "Source",
    "signals": "Signal",
    "behaviors": "Behavior",
    "technologies": "Technology",
    "issues": "Issue",
}


def item_url(kind: str, object_id: int, source_id: int) -> str:
    """A source's page; a finding's row on its source's page."""
    url = reverse("sources:detail", args=[source_id])
    return url if kind == "sources" else f"{url}#{kind}-{object_id}"


@dataclass
class Hit:
    kind: str
    id: int
    source_id: int
    rank: float
    title_html: SafeString
    snippet_html: SafeString
    source_title: str = ""  # for a finding: where it was found; for a source: its link

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def url(self) -> str:
        return item_url(self.kind, self.id, self.source_id)


@dataclass
class Similar:
    """A name close to the words typed (typos included), for "did you mean"."""

    kind: str  # a kind of KIND_LABELS, or "themes"
    id: int
    name: str
    url: str
    score: float

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, "Theme")


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit]
    total: int  # capped at MAX_RESULTS + 1: "more than" past that
    offset: int
    limit: int
    themes: list[Similar] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)
    corrected_from: str = ""  # the words as typed, when these are the corrected words' results
