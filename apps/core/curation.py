"""The two ways a curated value changes: a machine refreshing it, an editor setting it.

A machine (import, classifier) never overwrites a field an editor curated; an editor's
write is checked against the version the editor saw, so no edit is silently lost.
"""

from django.db import models, transaction
from django.utils import timezone

from apps.core.audit import audit_changes
from apps.core.models import Curated, Origin


class StaleVersion(Exception):
    """An edit was based on an old version; `current` is the row as it is now."""

    def __init__(self, current: Curated):
        self.current = current
        who = current.updated_by.get_username() if current.updated_by else "someone"
        super().__init__(
            f"This item changed since you opened it (now version {current.version}, "
            f"last changed by {who}). Reload to see the current value."
        )


def as_json(value):
    """What the provenance and audit columns store for a value."""
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def apply_machine_values(obj: Curated, values: dict, *, origin: str) -> dict[str, tuple]:
    """Set machine-given values on `obj` (unsaved), skipping fields an editor curated.

    Returns {field: (old, new)} of the values in force that changed, for the audit trail.
    """
    changes = {}
    for field, value in values.items():
        obj.machine_values[field] = as_json(value)
        if obj.is_curated(field):
            continue
        old = getattr(obj, field)
        if old != value:
            changes[field] = (as_json(old), as_json(value))
            setattr(obj, field, value)
    if changes and obj.pk:
        obj.version += 1
    if not obj.pk:
        obj.origin = origin
    return changes


def editor_update(obj: Curated, *, user, values: dict, expected_version: int) -> Curated:
    """Apply an editor's values if `expected_version` is still current; audit each change."""
    model = type(obj)
    unknown = set(values) - set(model.EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if current.version != expected_version:
            raise StaleVersion(current)
        stamp = {"by": user.get_username(), "at": timezone.now().isoformat()}
        changes = {}
        for field, value in values.items():
            old = getattr(current, field)
            if old != value:
                changes[field] = (as_json(old), as_json(value))
                setattr(current, field, value)
            current.curated[field] = stamp
        current.version += 1
        current.updated_by = user
        current.full_clean(exclude=["machine_values", "curated"])
        current.save()
        audit_changes(current, changes=changes, origin=Origin.EDITOR, actor=user)
    return current
