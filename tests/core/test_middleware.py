"""The time zone cookie: a known zone is used for the request, anything else is ignored."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from apps.core.middleware import TimezoneMiddleware, zone_from_cookie


def seen_zone(cookie: str | None) -> str:
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES["tz"] = cookie
    TimezoneMiddleware(view)(request)
    return seen["zone"]


def test_a_known_zone_is_activated_for_the_request(settings):
    assert seen_zone("Europe/Berlin") == "Europe/Berlin"
    assert seen_zone("America%2FSao_Paulo") == "America/Sao_Paulo"
    # and not left behind for the next request served by this thread
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


@pytest.mark.parametrize(
    "cookie",
    [None, "", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x" * 500, "Europe/Berlin\0"],
)
def test_a_missing_or_bad_cookie_falls_back_to_the_setting(settings, cookie):
    settings.TIME_ZONE = "America/New_York"

    assert seen_zone(cookie) == "America/New_York"


def test_zone_from_cookie_never_raises():
    assert zone_from_cookie("Asia/Tokyo").key == "Asia/Tokyo"
    assert zone_from_cookie("asia/tokyo\n") is None


@pytest.mark.django_db
def test_pages_show_times_in_the_cookie_zone(client):
    from tests.accounts.factories import UserFactory
    from tests.factories import SourceFactory

    source = SourceFactory()
    client.force_login(UserFactory(role="reader"))
    client.cookies["tz"] = "Asia/Tokyo"

    html = client.get("/").content.decode()

    local = timezone.localtime(source.status_changed_at, timezone=zone_from_cookie("Asia/Tokyo"))
    assert f'datetime="{local.isoformat()}"' in html
    assert "Times are shown in Asia/Tokyo." in html
