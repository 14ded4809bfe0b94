"""The digest as an e-mail: text and HTML alternatives rendered from the same Digest."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from apps.digests.selectors import Digest
from apps.digests.tokens import unsubscribe_token


def site_url(path: str) -> str:
    """An absolute link for an e-mail, on SPYGLASS_SITE_URL (no request to build it from)."""
    return settings.SPYGLASS_SITE_URL.rstrip("/") + path


def subject_for(digest: Digest) -> str:
    count, themes = digest.total, len(digest.themes)
    return (
        f"Spyglass digest: {count} new item{'s' if count != 1 else ''} "
        f"on the {themes} theme{'s' if themes != 1 else ''} you follow"
    )


def digest_message(user, digest: Digest) -> EmailMultiAlternatives:
    """The e-mail of `digest` for `user`, with a one-click unsubscribe (RFC 8058)."""
    unsubscribe = site_url(reverse("digests:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "digest": digest,
        "site": settings.SPYGLASS_SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe,
        "settings_url": site_url(reverse("digests:settings")),
        "digest_url": site_url(reverse("digests:digest")),
    }
    message = EmailMultiAlternatives(
        subject=subject_for(digest),
        body=render_to_string("digests/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("digests/email.html", context), "text/html")
    return message
