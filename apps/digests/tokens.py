"""Signed unsubscribe tokens: a link in an e-mail that works without signing in.

The token names the user and is signed with SECRET_KEY and its own salt, so it cannot be
forged or reused for anything else. It expires after SPYGLASS_DIGEST_UNSUBSCRIBE_DAYS:
long enough for an old e-mail to still work, and a leaked link does not last for ever.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

SALT = "digests.unsubscribe"


class TokenError(ValueError):
    """The link is broken, altered, or too old; the message says which."""


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def user_for_token(token: str):
    """The user an unsubscribe token names, or TokenError."""
    max_age = settings.SPYGLASS_DIGEST_UNSUBSCRIBE_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenError("This unsubscribe link has expired.") from None
    except signing.BadSignature:
        raise TokenError(
            "This unsubscribe link is not valid: it may have been cut short."
        ) from None
    user = get_user_model().objects.filter(pk=data.get("u") if isinstance(data, dict) else None)
    found = user.first()
    if found is None:
        raise TokenError("This unsubscribe link names an account that no longer exists.")
    return found
