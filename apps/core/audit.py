"""Writing the audit trail. Services call these; nothing else writes AuditEntry rows."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from apps.core.models import AuditEntry


def audit_record(
    target: models.Model,
    *,
    action: str,
    origin: str,
    actor=None,
    field: str = "",
    old=None,
    new=None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        origin=origin,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_repr=str(target)[:300],
        field=field,
        old=old,
        new=new,
    )


def audit_records(
    changes: list[tuple[models.Model, object, object]],
    *,
    action: str,
    origin: str,
    actor=None,
    field: str = "",
) -> list[AuditEntry]:
    """audit_record for many targets of one model at once: `changes` holds (target, old, new)."""
    if not changes:
        return []
    content_type = ContentType.objects.get_for_model(changes[0][0])
    entries = [
        AuditEntry(
            actor=actor,
            origin=origin,
            action=action,
            target_type=content_type,
            target_id=target.pk,
            target_repr=str(target)[:300],
            field=field,
            old=old,
            new=new,
        )
        for target, old, new in changes
    ]
    return AuditEntry.objects.bulk_create(entries)


def audit_changes(
    target: models.Model, *, changes: dict[str, tuple], origin: str, actor=None
) -> list[AuditEntry]:
    """Record one entry per changed field; `changes` maps field -> (old, new)."""
    content_type = ContentType.objects.get_for_model(target)
    entries = [
        AuditEntry(
            actor=actor,
            origin=origin,
            action=AuditEntry.Action.UPDATE,
            target_type=content_type,
            target_id=target.pk,
            target_repr=str(target)[:300],
            field=field,
            old=old,
            new=new,
        )
        for field, (old, new) in changes.items()
    ]
    return AuditEntry.objects.bulk_create(entries)


def history_for(target: models.Model) -> Iterable[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")
