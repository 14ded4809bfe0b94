"""The Markdown record format as plain data, independent of the database.

A `Record` is what one file says; the parser makes one from text, the writer turns one
back into text, and the services move records in and out of the database.
"""

from dataclasses import dataclass, field

# Columns of each findings table, in the order the record format writes them.
SIGNAL_COLUMNS = ("name", "description", "change", "ten_year", "driving_force", "relevancy")
FINDING_COLUMNS = ("name", "description", "relevancy")

# The header text the writer uses for each column.
COLUMN_HEADERS = {
    "name": "name",
    "description": "description",
    "change": "change",
    "ten_year": "10-year",
    "driving_force": "driving-force",
    "relevancy": "relevancy",
}

# Section heading (as written) -> attribute of Record, in the order the writer emits them.
FINDING_SECTIONS = {
    "Signals": "signals",
    "Behaviors": "behaviors",
    "Technologies": "technologies",
    "Issues": "issues",
}


@dataclass
class FindingRow:
    name: str
    description: str = ""
    relevancy: int | None = None
    change: str = ""
    ten_year: str = ""
    driving_force: str = ""
    # What only a classifier gives (the Markdown format has no column for them): the
    # finding's own themes and how sure the classifier was. Not written to a file.
    themes: list[str] = field(default_factory=list)
    confidence: float | None = None
    # Where it was read, for error messages; not part of the value.
    line: int = field(default=0, compare=False, repr=False)

    def values(self, columns: tuple[str, ...]) -> dict:
        return {column: getattr(self, column) for column in columns}


@dataclass
class ExtraSectionData:
    heading: str
    body: str


@dataclass
class Record:
    title: str
    url: str
    via_url: str = ""
    via_label: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    category: str = ""
    source_type: str = ""
    other_fields: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    signals: list[FindingRow] = field(default_factory=list)
    behaviors: list[FindingRow] = field(default_factory=list)
    technologies: list[FindingRow] = field(default_factory=list)
    issues: list[FindingRow] = field(default_factory=list)
    extra_sections: list[ExtraSectionData] = field(default_factory=list)
    # A classifier's confidences (not in the Markdown format): the category's, each theme's.
    category_confidence: float | None = None
    theme_confidence: dict[str, float] = field(default_factory=dict)

    def findings(self, kind: str) -> list[FindingRow]:
        return getattr(self, kind)


class RecordError(ValueError):
    """A file that is not a valid record: says where and what was expected."""

    def __init__(self, message: str, *, line: int | None = None, path: str = ""):
        self.message = message
        self.line = line
        self.path = path
        super().__init__(self.located())

    def located(self) -> str:
        where = self.path or "<text>"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"
