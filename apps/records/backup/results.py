"""What a backup or a restore reports, and the one error both raise."""

from dataclasses import dataclass, field

from django.utils.translation import ngettext

from apps.core.text import counted
from apps.knowledge.models import FINDING_MODELS


class BackupError(Exception):
    """A backup that cannot be written or restored; the message names the file and why."""


@dataclass
class BackupSummary:
    sources: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    themes: int = 0
    aliases: int = 0
    # Sources whose Markdown cannot carry every part exactly: "source #12: summary, ...".
    inexact: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        findings = ", ".join(
            counted(count, FINDING_MODELS[kind]) for kind, count in self.findings.items()
        )
        records = ngettext("record", "records", self.sources)
        themes = ngettext("theme", "themes", self.themes)
        aliases = ngettext("alias", "aliases", self.aliases)
        return (
            f"{self.sources} {records} ({findings}), {self.themes} {themes}, "
            f"{self.aliases} {aliases}"
        )


@dataclass
class RestoreResult:
    created: int = 0
    updated: int = 0
    themes: int = 0
    # Usernames the backup names that this database has no account for: their links and
    # provenance are restored without the user (curated marks keep the name as text).
    missing_users: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        themes = ngettext("theme", "themes", self.themes)
        # "updated" would suggest something changed: a source already here is set back to the
        # backup's state whether or not it differed.
        text = (
            f"{self.created} created, {self.updated} reset to the backup, "
            f"{self.themes} {themes} restored"
        )
        if self.missing_users:
            text += "; no account for " + ", ".join(self.missing_users) + " (kept as names only)"
        return text
