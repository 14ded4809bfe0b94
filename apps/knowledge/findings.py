"""Editors' writes on findings and theme links: checked, versioned and audited.

The web pages and the API call these, so a rule (what a relevancy may be, which themes
may be linked) is written once. Values are checked here, naming the field that is wrong,
before anything is written.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.curation import StaleVersion, as_json, editor_update
from apps.core.models import AuditEntry, Origin
from apps.knowledge import selectors
from apps.knowledge.models import FINDING_MODELS, Finding, Signal, Theme, ThemeLink
from apps.knowledge.themes import ThemeError, too_long
from apps.knowledge.vocabulary import display_name, name_key, singular_keys
from apps.sources.models import Source, SourceTheme

__all__ = [
    "StaleVersion",
    "ThemeError",
    "finding_accept",
    "finding_create",
    "finding_delete",
    "finding_update",
    "theme_link_add",
    "theme_link_remove",
]

# Keys in Source.curated remembering what an editor removed, so a classifier re-run does not
# bring it back: {"themes_removed": {theme id: stamp}, "findings_removed": {kind: {key: stamp}}}.
THEMES_REMOVED = "themes_removed"
FINDINGS_REMOVED = "findings_removed"
# Themes taken off a finding: {"finding_themes_removed": {kind: {finding id: {theme id: mark}}}}.
FINDING_THEMES_REMOVED = "finding_themes_removed"
RELEVANCY_ERROR = "Relevancy must be a whole number from 1 to 5, or left empty."
NAME_MAX = 300


# --- Findings ------------------------------------------------------------------------


def finding_model(kind: str) -> type[Finding]:
    """The model of a kind ("signals", ...); a ValidationError on `kind` for any other."""
    try:
        return FINDING_MODELS[kind]
    except KeyError:
        kinds = ", ".join(FINDING_MODELS)
        raise ValidationError({"kind": f"Unknown kind “{kind}”; use one of {kinds}."}) from None


def finding_kind(finding: Finding) -> str:
    return next(kind for kind, model in FINDING_MODELS.items() if isinstance(finding, model))


def clean_finding_values(model: type[Finding], values: dict, *, creating: bool) -> dict:
    """Check and normalise an editor's values; one ValidationError naming every bad field."""
    errors, cleaned = {}, {}
    for field in values:
        if field not in model.EDITABLE_FIELDS:
            errors[field] = f"“{field}” cannot be edited on a {model._meta.verbose_name}."
    for field in model.EDITABLE_FIELDS:
        if field not in values:
            continue
        try:
            cleaned[field] = _clean_value(model, field, values[field])
        except ValidationError as error:
            errors[field] = error.messages[0]
    if creating and "name" not in errors and not cleaned.get("name"):
        errors["name"] = "A name is required."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(model: type[Finding], field: str, value):
    label = str(model._meta.get_field(field).verbose_name).capitalize()
    if field == "relevancy":
        return _clean_relevancy(value)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    value = value.strip()
    if "\x00" in value:  # PostgreSQL stores no NUL; the API's schema refuses it too
        raise ValidationError(f"{label} must not contain NUL characters.")
    if field == "name":
        if not value:
            raise ValidationError("A name is required.")
        if len(value) > NAME_MAX:
            raise ValidationError(
                f"Name is too long ({len(value)} characters, at most {NAME_MAX})."
            )
    return value


def _clean_relevancy(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationError(RELEVANCY_ERROR)
    try:
        number = int(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValidationError(RELEVANCY_ERROR) from None
    if not 1 <= number <= 5:
        raise ValidationError(RELEVANCY_ERROR)
    return number


def _refuse_taken_name(model: type[Finding], source_id: int, name: str, exclude=None) -> None:
    """One name once per kind on a source: two rows would read as the same finding twice."""
    others = model.objects.filter(source_id=source_id, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        noun = model._meta.verbose_name
        raise ValidationError({"name": f"This source already has a {noun} named “{name}”."})


def _stamp(user) -> dict:
    return {"by": user.get_username(), "at": timezone.now().isoformat()}


def finding_create(*, kind: str, source: Source, values: dict, user) -> Finding:
    """Add an editor's finding at the end of the source's table of that kind."""
    model = finding_model(kind)
    cleaned = clean_finding_values(model, values, creating=True)
    with transaction.atomic():
        _refuse_taken_name(model, source.pk, cleaned["name"])
        last = model.objects.filter(source=source).aggregate(last=Max("position"))["last"]
        stamp = _stamp(user)
        finding = model(
            source=source,
            position=0 if last is None else last + 1,
            origin=Origin.EDITOR,
            updated_by=user,
            curated=dict.fromkeys(cleaned, stamp),
            **cleaned,
        )
        finding.full_clean(exclude=["machine_values", "curated"])
        finding.save()
        for field, value in cleaned.items():
            if value not in ("", None):
                _audit(finding, user, AuditEntry.Action.CREATE, field=field, new=value)
        _audit(source, user, AuditEntry.Action.CREATE, field=kind, new=finding.name)
        if isinstance(finding, Signal):
            _recluster(finding)
    return finding


def finding_update(*, finding: Finding, values: dict, expected_version: int, user) -> Finding:
    """Apply an editor's changes if nobody changed the finding since `expected_version`.

    Only values that differ are written (and marked as curated), so saving a whole form to
    change one field leaves the machine free to refresh the others. Either way the finding
    counts as reviewed: the editor looked at it and saved it.
    """
    model = type(finding)
    cleaned = clean_finding_values(model, values, creating=False)
    changed = {field: value for field, value in cleaned.items() if getattr(finding, field) != value}
    if "name" in changed and changed["name"].lower() != finding.name.lower():
        _refuse_taken_name(model, finding.source_id, changed["name"], exclude=finding)
    with transaction.atomic():
        if changed or finding.version != expected_version:
            finding = editor_update(
                finding, user=user, values=changed, expected_version=expected_version
            )
            if isinstance(finding, Signal) and CLUSTERED_FIELDS & set(changed):
                _recluster(finding)
        _mark_reviewed(finding, user)
    return finding


# A signal's text as clustering compares it (docs/clusters.md).
CLUSTERED_FIELDS = {"name", "description", "change"}


def _recluster(signal: Signal) -> None:
    """Place the signal again in clusters once the edit commits (a task, idempotent).

    Imported here: clusters depends on knowledge, and this is knowledge's one hook into it."""
    from apps.clusters.tasks import enqueue_source

    enqueue_source(signal.source_id)


def _mark_reviewed(finding: Finding, user) -> None:
    """Note the first review; it is no content change, so the version stays."""
    if finding.reviewed_at is not None:
        return
    finding.reviewed_at, finding.reviewed_by = timezone.now(), user
    type(finding).objects.filter(pk=finding.pk, reviewed_at__isnull=True).update(
        reviewed_at=finding.reviewed_at, reviewed_by=user
    )


def finding_accept(*, finding: Finding, user, expected_version: int) -> Finding:
    """An editor keeps a machine's finding as it is: reviewed, audited, version-checked.

    The editor vouches for its values as they stand, so they become curated: a later
    classifier run keeps its own values beside them (machine_values) but never overwrites
    them. Accepting bumps the version, so a form opened before the acceptance is told the
    finding moved on. Accepting a reviewed finding again changes nothing.
    """
    model = type(finding)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=finding.pk)
        if current.version != expected_version:
            raise StaleVersion(current)
        if current.reviewed_at is not None:
            return current
        current.reviewed_at, current.reviewed_by = timezone.now(), user
        stamp = _stamp(user)
        for field in model.EDITABLE_FIELDS:
            current.curated.setdefault(field, stamp)
        current.updated_by = user
        current.version += 1
        fields = ["reviewed_at", "reviewed_by", "curated", "updated_by", "updated_at", "version"]
        current.save(update_fields=fields)
        _audit(current, user, AuditEntry.Action.UPDATE, field="reviewed", new="accepted")
    return current


def finding_delete(*, finding: Finding, user, expected_version: int | None = None) -> None:
    """Delete a finding; its audit entry keeps every value, its source's history the name."""
    model, kind = type(finding), finding_kind(finding)
    with transaction.atomic():
        current = model.objects.select_for_update().filter(pk=finding.pk).first()
        if current is None:
            return  # deleted meanwhile: the wish is fulfilled
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(current)
        old = {field: as_json(getattr(current, field)) for field in model.EDITABLE_FIELDS}
        old["themes"] = [link.theme.name for link in current.theme_links.select_related("theme")]
        old["source"] = current.source_id
        old["version"] = current.version
        _audit(current, user, AuditEntry.Action.DELETE, old=old)
        _audit(current.source, user, AuditEntry.Action.DELETE, field=kind, old=current.name)
        if current.origin != Origin.EDITOR:
            machine_name = current.machine_values.get("name", current.name)
            path = (FINDINGS_REMOVED, kind, name_key(machine_name))
            _remember(current.source_id, *path, user=user)
        current.delete()


def _remember(source_id: int, *path: str, user, forget: bool = False) -> None:
    """Note (or forget) an editor's removal in the source's `curated` marks."""
    source = Source.objects.select_for_update().only("pk", "curated").get(pk=source_id)
    *parents, leaf = path
    marks = source.curated
    for key in parents:
        marks = marks.setdefault(key, {})
    if forget:
        if marks.pop(leaf, None) is None:
            return
    else:
        marks[leaf] = _stamp(user)
    source.save(update_fields=["curated"])


def _audit(target, user, action: str, *, field: str = "", old=None, new=None) -> None:
    audit_record(
        target, action=action, origin=Origin.EDITOR, actor=user, field=field, old=old, new=new
    )


# --- Theme links ---------------------------------------------------------------------


def _link_model(item: Source | Finding) -> tuple[type[ThemeLink], str]:
    """The link table of an item and the name of its column pointing at the item."""
    if isinstance(item, Source):
        return SourceTheme, "source"
    if isinstance(item, Finding):
        return type(item).themes.through, type(item)._meta.model_name
    raise TypeError(f"{type(item).__name__} carries no themes")


def item_label(item: Source | Finding) -> str:
    return str(item._meta.verbose_name)


def approved_theme(name: str) -> Theme | None:
    """The approved theme a typed name or alias means (plural forms too), or None."""
    key = name_key(name)
    for candidate in dict.fromkeys([key, *singular_keys(key)]):
        theme = selectors.theme_named(candidate)
        if theme is not None:
            return theme if theme.status == Theme.Status.APPROVED else None
    return None


def theme_link_add(*, item: Source | Finding, name: str, user) -> Theme:
    """Link the approved theme `name` (or an alias of it) to a source or finding."""
    name = display_name(name or "")
    if not name:
        raise ThemeError("Type the name of a theme to add.")
    if reason := too_long(name):
        raise ThemeError(reason)
    theme = approved_theme(name)
    if theme is None:
        raise ThemeError(
            f"“{name}” is not an approved theme or alias. Pick one from the suggestions, "
            "or create the theme on the Themes page first."
        )
    link_model, owner = _link_model(item)
    links = link_model.objects.filter(**{owner: item})
    if links.filter(theme=theme).exists():
        raise ThemeError(f"This {item_label(item)} already carries “{theme.name}”.")
    try:
        with transaction.atomic():
            last = links.aggregate(last=Max("position"))["last"]
            link_model.objects.create(
                **{owner: item},
                theme=theme,
                position=0 if last is None else last + 1,
                origin=Origin.EDITOR,
                added_by=user,
            )
            _audit(item, user, AuditEntry.Action.UPDATE, field="themes", new=theme.name)
            _remember(*_removal_path(item, theme), user=user, forget=True)
    except IntegrityError:  # linked by someone else between the check and the insert
        raise ThemeError(f"This {item_label(item)} already carries “{theme.name}”.") from None
    return theme


def theme_link_remove(*, item: Source | Finding, theme: Theme, user) -> None:
    """Unlink a theme from a source or finding."""
    link_model, owner = _link_model(item)
    with transaction.atomic():
        deleted, _ = link_model.objects.filter(**{owner: item}, theme=theme).delete()
        if not deleted:
            raise ThemeError(f"This {item_label(item)} does not carry “{theme.name}”.")
        _audit(item, user, AuditEntry.Action.UPDATE, field="themes", old=theme.name)
        _remember(*_removal_path(item, theme), user=user)


def _removal_path(item: Source | Finding, theme: Theme) -> tuple:
    """Where the source's marks note an editor's removal of `theme` from `item`."""
    if isinstance(item, Source):
        return item.pk, THEMES_REMOVED, str(theme.pk)
    kind = finding_kind(item)
    return item.source_id, FINDING_THEMES_REMOVED, kind, str(item.pk), str(theme.pk)
