"""Who is calling and may they: a token or the browser session, the role, the rate limit.

One auth class serves every endpoint; each instance carries the role check of the matching
HTMX view (apps/accounts/access.py), so the API and the pages cannot disagree.
"""

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from apps.accounts.access import can_edit, can_read, can_submit
from apps.accounts.roles import ADMIN, role_of
from apps.accounts.tokens import token_authenticate
from apps.api.errors import ApiError, RateLimited

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WINDOW = 60  # seconds: SPYGLASS_API_RATE_LIMIT counts requests per minute


def can_administer(user) -> bool:
    return role_of(user) == ADMIN


def signed_in(user) -> bool:
    return user.is_authenticated


class ApiAuth(HttpBearer):
    """`Authorization: Bearer <token>`, else the session (CSRF checked on writes), else an
    anonymous reader when SPYGLASS_PUBLIC_READ is on; then the role check, then the rate."""

    def __init__(self, check: Callable, refusal: str):
        self.check, self.refusal = check, refusal
        super().__init__()

    def __call__(self, request: HttpRequest):
        user, key = self._identify(request)
        if not user.is_authenticated and not self.check(user):
            raise AuthenticationError()
        rate_limit(key)
        if not self.check(user):
            raise PermissionDenied(self.refusal)
        return user

    def _identify(self, request: HttpRequest) -> tuple:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, plaintext = header.partition(" ")
            token = token_authenticate(plaintext.strip()) if scheme.lower() == "bearer" else None
            if token is None:  # a wrong token never falls back to the session
                raise AuthenticationError(message=_refused_token(scheme))
            request.user = token.user
            return token.user, f"token:{token.pk}"
        user = getattr(request, "user", None) or AnonymousUser()
        if user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(
                    403, "csrf_failed", "CSRF check failed: send the X-CSRFToken header."
                )
            return user, f"user:{user.pk}"
        return AnonymousUser(), f"address:{request.META.get('REMOTE_ADDR', '')}"

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover
        raise NotImplementedError("__call__ does the work")


def _refused_token(scheme: str) -> str:
    """Why an Authorization header was not accepted, so the script's author knows what to fix."""
    if scheme.lower() != "bearer":
        return "Send the API token as 'Authorization: Bearer <token>'."
    return (
        "This API token is not accepted: it is mistyped, revoked, or its user is deactivated. "
        "Create a new one on your settings page."
    )


def rate_limit(key: str) -> None:
    """Count one request for `key` in the current minute; raise RateLimited past the limit."""
    limit = settings.SPYGLASS_API_RATE_LIMIT
    if limit <= 0:
        return
    now = time.time()
    cache_key = f"api-rate:{key}:{int(now // WINDOW)}"
    # add() then incr(): atomic on Redis, so parallel requests cannot both read "limit - 1".
    cache.add(cache_key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between the two calls
        cache.set(cache_key, 1, timeout=WINDOW * 2)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, math.ceil(WINDOW - now % WINDOW)))


READ = ApiAuth(can_read, "Your account has no reader role.")
SUBMIT = ApiAuth(can_submit, "Submitting and retrying links needs the analyst role.")
EDIT = ApiAuth(can_edit, "This needs the editor role.")
ADMIN_ONLY = ApiAuth(can_administer, "Only an admin can do this.")
SIGNED_IN = ApiAuth(signed_in, "Sign in first.")
