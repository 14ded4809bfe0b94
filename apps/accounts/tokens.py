"""API tokens: creating (the secret is shown once), revoking, and recognising them.

A token is "spy_" and 43 URL-safe characters (32 random bytes). The table keeps its first
12 characters to find the row and a SHA-256 hash to check it: a leaked database does not
leak usable tokens, and a fast hash is enough for a secret this long.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Origin

TOKEN_PREFIX = "spy_"
PREFIX_LENGTH = 12
NAME_MAX = 100
# Writing last_used on every request would turn each read into a write; once a minute is
# precise enough to tell a token in use from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they say when)."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plaintext, which is never stored."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script that uses it."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"A token name has at most {NAME_MAX} characters."})
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=plaintext[:PREFIX_LENGTH], hash=_digest(plaintext)
    )
    audit_record(token, action=AuditEntry.Action.CREATE, origin=Origin.EDITOR, actor=user, new=name)
    return token, plaintext


@transaction.atomic
def token_revoke(*, token: ApiToken, user=None) -> ApiToken:
    """Refuse the token from now on; revoking twice keeps the first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            token,
            action=AuditEntry.Action.UPDATE,
            origin=Origin.EDITOR,
            actor=user,
            field="revoked_at",
            new=token.revoked_at.isoformat(),
        )
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """The token (its `user` loaded) if it is known, not revoked and its user active."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    digest = _digest(plaintext)
    candidates = ApiToken.objects.filter(
        prefix=plaintext[:PREFIX_LENGTH], revoked_at__isnull=True
    ).select_related("user")
    for token in candidates:
        # Constant time: the comparison must not tell an attacker how much of a hash matched.
        if hmac.compare_digest(token.hash, digest) and token.user.is_active:
            _touch(token)
            return token
    return None


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
