"""Login throttling (django-axes): the address an attempt comes from, and the lockout page."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address failed logins are counted against.

    Behind a reverse proxy (SPYGLASS_BEHIND_PROXY) every request arrives from the proxy, so
    counting REMOTE_ADDR would let five wrong passwords from anyone lock everybody out. The
    proxy appends the address it saw to X-Forwarded-For; the last entry is the one it wrote,
    while earlier entries come from the client and could be forged.
    """
    if settings.SPYGLASS_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def wait_in_words(cooloff: timedelta | None) -> str:
    """'15 minutes', '1 minute', '2 hours': how long a locked-out person waits."""
    if not cooloff:
        return "a while"
    minutes = max(1, round(cooloff.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The login page again, status 429, saying why and when to try again."""
    from axes.helpers import get_cool_off
    from django.contrib.auth.forms import AuthenticationForm
    from django.shortcuts import render
    from django.utils import timezone

    cooloff = get_cool_off(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out": True,
        "wait": wait_in_words(cooloff),
        "retry_at": timezone.now() + cooloff if cooloff else None,
    }
    response = render(request, "accounts/login.html", context, status=429)
    if cooloff:
        response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response
