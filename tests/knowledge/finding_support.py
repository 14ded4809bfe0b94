"""URLs and response checks shared by the tests of the finding pages (test_finding_*views)."""

from django.urls import reverse

from tests.factories import FINDING_FACTORIES

HTMX = {"HTTP_HX_REQUEST": "true"}
FACTORIES = FINDING_FACTORIES


def url(name: str, *args) -> str:
    return reverse(f"findings:{name}", args=args)


def page_url(source) -> str:
    return reverse("sources:detail", args=[source.pk])


def source_theme_url(name: str, source, *args) -> str:
    return reverse(f"source_curation:{name}", args=[source.pk, *args])


def is_fragment(response) -> bool:
    html = response.content.decode()
    return response.status_code == 200 and "<html" not in html and "<body" not in html


def flashed(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]
