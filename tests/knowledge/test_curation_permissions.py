"""Who may curate: each role on each curation action, whatever the request carries."""

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.knowledge.models import Signal
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SignalThemeFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "analyst", "editor", "admin"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    """A signal with a theme, on a source with a theme; one more approved theme to add."""
    signal = SignalFactory(relevancy=2)
    SignalThemeFactory(signal=signal, theme=ThemeFactory(name="energy"))
    SourceThemeFactory(source=signal.source, theme=ThemeFactory(name="water"))
    ThemeFactory(name="heat")
    return signal


def edits(signal: Signal) -> dict[str, tuple[str, str, dict]]:
    """Every editor action: name -> (method, url, data)."""
    source, f = signal.source, ("signals", signal.pk)
    energy, water = signal.themes.get(), source.themes.get()
    return {
        "relevancy": (
            "post",
            reverse("findings:relevancy", args=f),
            {"relevancy": 5, "version": 1},
        ),
        "edit form": ("get", reverse("findings:edit", args=f), {}),
        "edit": ("post", reverse("findings:edit", args=f), {"name": "x", "version": 1}),
        "add form": ("get", reverse("findings:create", args=["issues", source.pk]), {}),
        "add": ("post", reverse("findings:create", args=["issues", source.pk]), {"name": "x"}),
        "delete form": ("get", reverse("findings:delete", args=f), {}),
        "delete": ("post", reverse("findings:delete", args=f), {"version": 1, "confirmed": "yes"}),
        "finding theme add": ("post", reverse("findings:theme_add", args=f), {"name": "heat"}),
        "finding theme remove": (
            "post",
            reverse("findings:theme_remove", args=[*f, energy.pk]),
            {},
        ),
        "source theme add": (
            "post",
            reverse("source_curation:theme_add", args=[source.pk]),
            {"name": "heat"},
        ),
        "source theme remove": (
            "post",
            reverse("source_curation:theme_remove", args=[source.pk, water.pk]),
            {},
        ),
    }


ACTIONS = [
    "relevancy",
    "edit form",
    "edit",
    "add form",
    "add",
    "delete form",
    "delete",
    "finding theme add",
    "finding theme remove",
    "source theme add",
    "source theme remove",
]


def client_as(client, role: str):
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    return client


def state(signal: Signal) -> tuple:
    """Everything an edit could change."""
    return (
        list(Signal.objects.values_list("id", "name", "relevancy", "version")),
        list(signal.source.issues.values_list("id")),
        list(signal.theme_links.values_list("theme__name")),
        list(signal.source.theme_links.values_list("theme__name")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_on_each_edit(role, action, world, client):
    client = client_as(client, role)
    method, url, data = edits(world)[action]
    before = state(world)

    response = getattr(client, method)(url, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role in ("reader", "analyst"):
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)
        if method == "post":
            assert state(world) != before
        return
    assert state(world) == before


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_readers_and_analysts_are_refused_whatever_they_send(role, world, client):
    client = client_as(client, role)
    before = state(world)
    for method, url, data in edits(world).values():
        for extra in ({}, HTMX):
            for verb in ("get", "post", "put", "delete"):
                response = getattr(client, verb)(url, data if verb == method else {}, **extra)
                assert response.status_code == 403, (verb, url)
    assert state(world) == before


READS = ["finding history", "source history", "row", "theme suggestions"]


def read_url(signal: Signal, name: str) -> str:
    return {
        "finding history": reverse("findings:history", args=["signals", signal.pk]),
        "source history": reverse("source_curation:history", args=[signal.source.pk]),
        "row": reverse("findings:row", args=["signals", signal.pk]),
        "theme suggestions": reverse("findings:theme_choices"),
    }[name]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READS)
def test_every_role_with_read_access_reads_history(role, name, world, client):
    response = client_as(client, role).get(read_url(world, name), **HTMX)
    assert response.status_code == (302 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_readers_and_analysts_see_no_edit_controls(role, world, client):
    html = client_as(client, role).get(world.source.get_absolute_url()).content.decode()

    assert "/findings/signals/" in html  # the history link is for everyone
    for marker in (
        "/relevancy/",
        "/edit/",
        "/delete/",
        "/add/",
        "/themes/suggestions/",
        'class="theme-add"',
        "Add a ",
        "Remove the theme",
        "aria-pressed",
        "curation.js",
    ):
        assert marker not in html, marker
    assert '<span class="relevancy relevancy-2"' in html


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_see_the_controls(role, world, client):
    html = client_as(client, role).get(world.source.get_absolute_url()).content.decode()
    assert "Relevancy 5 of 5" in html and 'class="theme-add"' in html and "Add a signal" in html
