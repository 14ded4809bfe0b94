"""Theme governance: what editors do to the vocabulary, and how classifiers propose to it.

Classifiers may only link approved themes; any other name becomes a *proposed* theme with
a suggestion per source, waiting for an editor to accept, rename, merge or reject it. A
rejected name is remembered, so it is never proposed again: the vocabulary cannot explode.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Origin
from apps.knowledge.cache import knowledge_changed
from apps.knowledge.models import (
    FINDING_MODELS,
    Theme,
    ThemeAlias,
    ThemeRelation,
    ThemeSuggestion,
)
from apps.knowledge.services import theme_for_name
from apps.knowledge.vocabulary import (
    THEME_NAME_MAX,
    display_name,
    has_word,
    name_key,
    shorten,
    singular_keys,
)

Status = Theme.Status
NAME_MAX = THEME_NAME_MAX


class ThemeError(ValueError):
    """An editor's theme action that cannot be done; the message says why."""


def theme_suggest(name: str, *, source) -> Theme | None:
    """Link an approved theme a classifier named, or record a proposal for an editor.

    Returns the approved theme to link now, or None (proposed, rejected, or empty).
    """
    from apps.sources.models import SourceTheme

    if not has_word(name):  # the editors' rule (_checked_name): no theme without a word
        return None
    theme = theme_for_name(_same_meaning(name) or name, status=Status.PROPOSED)
    if theme is None:
        return None  # rejected before
    if theme.status == Status.APPROVED:
        return theme
    ThemeSuggestion.objects.get_or_create(
        theme=theme, source=source, defaults={"name": shorten(display_name(name), NAME_MAX)}
    )
    # A proposal is not linked yet; drop a stale link the source may still carry.
    SourceTheme.objects.filter(source=source, theme=theme, origin=Origin.AI).delete()
    return None


def _same_meaning(name: str) -> str | None:
    """The name of the theme that means the same as a new `name` (WordLlama similarity of at
    least MERGE_SIMILARITY, in lower case): an approved theme or a pending proposal, which the
    new name then joins instead of growing the queue, or a rejected theme, which keeps it out
    as the rejected name itself would be. None when `name` is already known (as a theme or an
    alias) or nothing is close enough."""
    from apps.classification.local import meaning
    from apps.classification.local.proposals import MERGE_SIMILARITY
    from apps.knowledge.services import existing_theme

    if existing_theme(name_key(name)) is not None:
        return None
    known = list(
        Theme.objects.filter(status__in=[Status.APPROVED, Status.PROPOSED, Status.REJECTED])
        .order_by("status", "name")
        .values_list("name", flat=True)
    )
    if not known:
        return None
    # Compared in lower case: the embeddings tell "Vertical" from "vertical".
    lowered = [known_name.lower() for known_name in known]
    scores = meaning.embed_cached(lowered) @ meaning.embed_cached([display_name(name).lower()])[0]
    best = int(scores.argmax())
    return known[best] if scores[best] >= MERGE_SIMILARITY else None


def proposed_themes():
    return Theme.objects.filter(status=Status.PROPOSED).order_by("name")


def too_long(name: str) -> str | None:
    """Why a name a person typed is too long for a theme, or None.

    People's names are refused, never cut: a cut name ("... implications of the") reads as
    a different theme. Only machines' names are shortened (`theme_for_name`).
    """
    if len(name) <= NAME_MAX:
        return None
    return f"Theme names can be at most {NAME_MAX} characters; this one has {len(name)}."


def _checked_name(raw: str) -> tuple[str, str]:
    """A name an editor typed for a theme or an alias, tidied, and its key; or ThemeError."""
    name = display_name(raw or "")
    if not name:
        raise ThemeError("a theme name needs at least one character")
    if reason := too_long(name):
        raise ThemeError(reason)
    if not has_word(name):
        raise ThemeError(f"a theme name needs a letter or a digit; '{name}' has none")
    return name, name_key(name)


def _taken(name: str, key: str) -> str | None:
    """Why a name cannot be a new theme, or None when it is free."""
    theme = Theme.objects.filter(slug=key).first()
    if theme is not None:
        return f"'{name}' is already the theme '{theme.name}' ({theme.status})"
    alias = ThemeAlias.objects.select_related("theme").filter(key=key).first()
    if alias is not None:
        return f"'{name}' is already an alias of the theme '{alias.theme.name}'"
    # Imports and classifiers read "cities" as the theme "city": a second one would split it.
    for singular in singular_keys(key):
        theme = Theme.objects.filter(slug=singular).first()
        if theme is not None:
            return f"'{name}' means the same as the theme '{theme.name}'"
    return None


@transaction.atomic
def theme_create(*, name: str, user) -> Theme:
    """Add an approved theme; a name already used by a theme or an alias is refused."""
    name, key = _checked_name(name)
    if reason := _taken(name, key):
        raise ThemeError(reason)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(name=name, slug=key, status=Status.APPROVED)
    except IntegrityError:  # created meanwhile by an import or another editor
        raise ThemeError(f"'{name}' is already a theme") from None
    audit_record(theme, action=AuditEntry.Action.CREATE, origin=Origin.EDITOR, actor=user, new=name)
    return theme


@transaction.atomic
def theme_accept(theme: Theme, *, user) -> Theme:
    _require(theme, Status.PROPOSED, "accepted")
    theme.status = Status.APPROVED
    theme.save(update_fields=["status"])
    _link_suggested_sources(theme, theme)
    _audit(theme, user, field="status", old=Status.PROPOSED, new=Status.APPROVED)
    return theme


@transaction.atomic
def theme_reject(theme: Theme, *, user) -> Theme:
    """Reject a proposed theme; its name (and slug) stay taken so it is not proposed again."""
    _require(theme, Status.PROPOSED, "rejected")
    theme.status = Status.REJECTED
    theme.save(update_fields=["status"])
    theme.suggestions.all().delete()
    _audit(theme, user, field="status", old=Status.PROPOSED, new=Status.REJECTED)
    return theme


def _rename_clash(theme: Theme, name: str, key: str) -> str | None:
    """Why `theme` cannot take `name`: another theme has it, as its name or an alias."""
    other = Theme.objects.filter(slug=key).exclude(pk=theme.pk).first()
    if other is None:
        alias = ThemeAlias.objects.select_related("theme").filter(key=key).exclude(theme=theme)
        other = alias[0].theme if alias else None
    if other is None:
        return None
    if other.status == Status.APPROVED:
        return f"'{name}' is already the theme '{other.name}'; merge into it instead"
    # Merging needs an approved target, so a rejected or merged name is simply taken.
    return (
        f"'{name}' is already taken by the {other.status} theme '{other.name}'; choose another name"
    )


@transaction.atomic
def theme_rename(theme: Theme, *, name: str, user) -> Theme:
    """Rename a theme; the old name becomes an alias, so its old URL still leads here."""
    name, key = _checked_name(name)
    if reason := _rename_clash(theme, name, key):
        raise ThemeError(reason)
    old_name, old_key = theme.name, theme.slug
    ThemeAlias.objects.filter(theme=theme, key=key).delete()
    theme.name, theme.slug = name, key
    theme.save(update_fields=["name", "slug"])
    if old_key != key:
        ThemeAlias.objects.get_or_create(key=old_key, defaults={"theme": theme, "name": old_name})
    _audit(theme, user, field="name", old=old_name, new=name)
    return theme


@transaction.atomic
def theme_alias_add(theme: Theme, *, name: str, user) -> ThemeAlias:
    """Add another spelling that leads to `theme`; it follows a theme name's rules."""
    name, key = _checked_name(name)
    if Theme.objects.filter(slug=key).exists() or ThemeAlias.objects.filter(key=key).exists():
        raise ThemeError(f"'{name}' is already a theme or an alias")
    alias = ThemeAlias.objects.create(theme=theme, name=name, key=key)
    _audit(theme, user, field="aliases", new=name)
    return alias


@transaction.atomic
def theme_alias_remove(alias: ThemeAlias, *, user) -> None:
    """Remove an alias; the audit entry and the deletion stand or fall together."""
    _audit(alias.theme, user, field="aliases", old=alias.name)
    alias.delete()


def merge_refusal(theme: Theme, *, into: Theme) -> str | None:
    """Why `theme` cannot be merged into `into`, or None: asked before confirming, too."""
    if theme.pk == into.pk:
        return "a theme cannot be merged into itself"
    if into.status != Status.APPROVED:
        return f"'{into.name}' is not an approved theme"
    if theme.status in (Status.MERGED, Status.REJECTED):
        return f"'{theme.name}' is {theme.status} already"
    return None


@transaction.atomic
def theme_merge(theme: Theme, *, into: Theme, user) -> Theme:
    """Move every link of `theme` to `into`; `theme`'s name becomes an alias of `into`.

    Immediate: the pages ask the editor to confirm first (views.theme_merge), the API and
    the command do not (their caller has decided already).
    """
    if reason := merge_refusal(theme, into=into):
        raise ThemeError(reason)
    from apps.sources.models import SourceTheme

    knowledge_changed()  # links move by UPDATE, which sends no model signals
    link_models = [(SourceTheme, "source")] + [
        (model.themes.through, model._meta.model_name) for model in FINDING_MODELS.values()
    ]
    for link_model, owner in link_models:
        _move_links(link_model, owner, theme, into)
    _link_suggested_sources(theme, into)
    _move_relations(theme, into)
    ThemeAlias.objects.filter(theme=theme).update(theme=into)
    ThemeAlias.objects.get_or_create(key=theme.slug, defaults={"theme": into, "name": theme.name})
    Theme.objects.filter(merged_into=theme).update(merged_into=into)
    old_status = theme.status
    theme.status, theme.merged_into = Status.MERGED, into
    theme.save(update_fields=["status", "merged_into"])
    _audit(theme, user, field="merged_into", old=old_status, new=into.name)
    return into


def _move_relations(theme: Theme, into: Theme) -> None:
    """Give `into` the "see also" links of `theme`; a link between the two themes goes."""
    others = set()
    for relation in ThemeRelation.objects.filter(Q(theme_a=theme) | Q(theme_b=theme)):
        others.add(relation.theme_b_id if relation.theme_a_id == theme.pk else relation.theme_a_id)
    ThemeRelation.objects.filter(Q(theme_a=theme) | Q(theme_b=theme)).delete()
    others.discard(into.pk)
    pairs = [tuple(sorted((into.pk, other))) for other in others]
    ThemeRelation.objects.bulk_create(
        [ThemeRelation(theme_a_id=a, theme_b_id=b) for a, b in pairs], ignore_conflicts=True
    )


def _move_links(link_model, owner: str, theme: Theme, into: Theme) -> None:
    """Repoint links; an item that carries both themes keeps its existing link to `into`."""
    owner_id = f"{owner}_id"
    # A subquery, not a list: `into` may carry a hundred thousand items.
    already = link_model.objects.filter(theme=into).values(owner_id)
    link_model.objects.filter(theme=theme, **{f"{owner_id}__in": already}).delete()
    link_model.objects.filter(theme=theme).update(theme=into)


def _link_suggested_sources(theme: Theme, target: Theme) -> None:
    from apps.sources.models import SourceTheme

    for suggestion in theme.suggestions.select_related("source"):
        try:
            with transaction.atomic():
                SourceTheme.objects.get_or_create(
                    source=suggestion.source,
                    theme=target,
                    defaults={"origin": Origin.AI, "position": 1000},
                )
        except IntegrityError:
            pass  # linked meanwhile
    theme.suggestions.all().delete()


# --- "See also": editors' links between approved themes ------------------------------------


def _pair(theme: Theme, other: Theme) -> dict:
    low, high = sorted((theme, other), key=lambda t: t.pk)
    return {"theme_a": low, "theme_b": high}


@transaction.atomic
def theme_relate(*, theme: Theme, other: Theme, user) -> ThemeRelation:
    """Declare two approved themes related ("see also"), both ways; audited on both."""
    if theme.pk == other.pk:
        raise ThemeError("a theme cannot be its own “see also”")
    for side in (theme, other):
        if side.status != Status.APPROVED:
            raise ThemeError(f"'{side.name}' is not an approved theme")
    relation, created = ThemeRelation.objects.get_or_create(
        **_pair(theme, other), defaults={"added_by": user}
    )
    if not created:
        raise ThemeError(f"'{other.name}' is already a “see also” of '{theme.name}'")
    _audit(theme, user, field="see_also", new=other.name)
    _audit(other, user, field="see_also", new=theme.name)
    return relation


@transaction.atomic
def theme_unrelate(*, theme: Theme, other: Theme, user) -> None:
    """Remove a "see also" between two themes; audited on both."""
    deleted, _ = ThemeRelation.objects.filter(**_pair(theme, other)).delete()
    if not deleted:
        raise ThemeError(f"'{other.name}' is not a “see also” of '{theme.name}'")
    _audit(theme, user, field="see_also", old=other.name)
    _audit(other, user, field="see_also", old=theme.name)


def _audit(theme: Theme, user, field: str, old=None, new=None) -> None:
    audit_record(
        theme,
        action=AuditEntry.Action.UPDATE,
        origin=Origin.EDITOR,
        actor=user,
        field=field,
        old=old,
        new=new,
    )


def _require(theme: Theme, status: str, action: str) -> None:
    if theme.status != status:
        raise ThemeError(f"'{theme.name}' is {theme.status}; only {status} themes can be {action}")
