"""Cross-cutting models: provenance for editable data, the audit trail, worker heartbeats."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Origin(models.TextChoices):
    IMPORT = "import", "import"
    AI = "ai", "classifier"
    EDITOR = "editor", "editor"


class Curated(models.Model):
    """Provenance for every editable value of a row.

    The columns hold the values in force. `machine_values` keeps what the last import or
    classifier said for each field, `curated` lists the fields an editor set (with who and
    when), so a machine can refresh its own values without touching an editor's. `version`
    grows on every write and backs optimistic concurrency.
    """

    EDITABLE_FIELDS: tuple[str, ...] = ()

    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.IMPORT)
    machine_values = models.JSONField(default=dict, blank=True)
    curated = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def is_curated(self, field: str) -> bool:
        return field in self.curated

    def provenance(self, field: str) -> dict:
        """Describe one value: in force, as the machine gave it, and who set it when."""
        mark = self.curated.get(field)
        return {
            "value": getattr(self, field),
            "machine_value": self.machine_values.get(field),
            "origin": Origin.EDITOR if mark else self.origin,
            "set_by": mark["by"] if mark else None,
            "set_at": mark["at"] if mark else self.created_at.isoformat(),
        }


class AuditEntry(models.Model):
    """One change to one value: who, when, from what, to what."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        IMPORT = "import"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target_repr = models.CharField(max_length=300, blank=True)
    field = models.CharField(max_length=60, blank=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr} {self.field}".strip()


class WorkerHeartbeat(models.Model):
    """Last time each worker ran the heartbeat task: proof the queue path works."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)
    # The queues this worker consumes, comma separated, as it reported them itself.
    queues = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
