"""Show times in the reader's time zone, which the browser reports in the `tz` cookie."""

import zoneinfo
from collections.abc import Callable
from functools import cache
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TZ_COOKIE = "tz"
# IANA names are short; anything longer is not worth looking up.
MAX_NAME = 64


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_from_cookie(value: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone the cookie names, or None when it names none we know (never raises).

    Only names from the system's zone list are accepted: ZoneInfo itself would also try
    any path-like string it is given.
    """
    if not value or len(value) > MAX_NAME or value not in _known_zones():
        return None
    try:
        return zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimezoneMiddleware:
    """Activate the cookie's zone for the request; without a valid one, settings.TIME_ZONE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Browsers or proxies may have percent-encoded the slash.
        zone = zone_from_cookie(unquote(request.COOKIES.get(TZ_COOKIE, "")))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # Threads serve other requests next: never leave one reader's zone behind.
            timezone.deactivate()
