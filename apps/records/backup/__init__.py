"""Backing up the whole knowledge base as a zip of Markdown records plus a manifest, and
restoring it (see docs/backup.md)."""

from apps.records.backup.reader import Limits
from apps.records.backup.restore import backup_restore
from apps.records.backup.results import BackupError, BackupSummary, RestoreResult
from apps.records.backup.write import backup_write

__all__ = [
    "BackupError",
    "BackupSummary",
    "Limits",
    "RestoreResult",
    "backup_restore",
    "backup_write",
]
