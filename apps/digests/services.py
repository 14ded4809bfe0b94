"""Writes: following themes, changing digest preferences, unsubscribing."""

from django.db import IntegrityError, transaction

from apps.digests.models import DigestPreference, Follow, Frequency
from apps.digests.selectors import FOLLOWABLE
from apps.knowledge.models import Theme


class FollowError(ValueError):
    """A follow that cannot be done; the message says why."""


def _live(theme: Theme) -> Theme:
    """The theme a follow means: a merged theme's survivor (as its old URL redirects)."""
    if theme.status == Theme.Status.MERGED and theme.merged_into_id is not None:
        theme = Theme.objects.get(pk=theme.merged_into_id)
    if theme.status not in FOLLOWABLE:
        raise FollowError(f"“{theme.name}” is {theme.status}; it cannot be followed")
    return theme


def theme_follow(*, user, theme: Theme) -> Theme:
    """Follow `theme` (or the theme it was merged into); following twice changes nothing."""
    theme = _live(theme)
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user=user, theme=theme)
    except IntegrityError:
        pass  # followed meanwhile in another request
    return theme


@transaction.atomic
def theme_unfollow(*, user, theme: Theme) -> int:
    """Stop following `theme`, and the themes merged into it that the user followed."""
    deleted, _ = Follow.objects.filter(user=user, theme__in=_with_merged(theme)).delete()
    return deleted


def _with_merged(theme: Theme) -> list[int]:
    return [theme.pk, *Theme.objects.filter(merged_into=theme).values_list("pk", flat=True)]


@transaction.atomic
def preference_update(*, user, frequency: str, min_relevancy: int, period_days: int):
    """Save the user's digest settings (the form has checked the values)."""
    preference, _ = DigestPreference.objects.update_or_create(
        user=user,
        defaults={
            "frequency": frequency,
            "min_relevancy": min_relevancy,
            "period_days": period_days,
        },
    )
    return preference


def digest_unsubscribe(*, user) -> bool:
    """Turn the user's digest e-mails off; False when they were off already."""
    updated = DigestPreference.objects.filter(user=user).exclude(frequency=Frequency.NEVER)
    if updated.update(frequency=Frequency.NEVER):
        return True
    _, created = DigestPreference.objects.get_or_create(
        user=user, defaults={"frequency": Frequency.NEVER}
    )
    return created
