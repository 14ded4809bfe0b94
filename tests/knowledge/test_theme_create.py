"""Editors add themes: the service's rules, the form on the theme index, who may."""

import pytest
from django.urls import reverse

from apps.core.audit import history_for
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import Theme
from apps.knowledge.themes import ThemeError, theme_create
from tests.accounts.factories import UserFactory
from tests.factories import ThemeAliasFactory, ThemeFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("knowledge:theme_index")
CREATE = reverse("knowledge:theme_create")


# --- The service ---------------------------------------------------------------------


def test_it_creates_an_approved_theme_and_audits_who(editor):
    theme = theme_create(name="  Quantum   computing ", user=editor)

    assert (theme.name, theme.slug, theme.status) == (
        "Quantum computing",
        "quantum-computing",
        Theme.Status.APPROVED,
    )
    [entry] = history_for(theme)
    assert (entry.action, entry.origin, entry.actor, entry.new) == (
        AuditEntry.Action.CREATE,
        Origin.EDITOR,
        editor,
        "Quantum computing",
    )


@pytest.mark.parametrize(
    ("existing", "name", "message"),
    [
        ("theme", "Open-Source", "'Open-Source' is already the theme 'open source' (approved)"),
        ("alias", "OSS", "'OSS' is already an alias of the theme 'open source'"),
        ("theme", "open sources", "'open sources' means the same as the theme 'open source'"),
        ("rejected", "Nonsense", "'Nonsense' is already the theme 'nonsense' (rejected)"),
    ],
)
def test_a_taken_name_is_refused_with_the_reason(editor, existing, name, message):
    theme = ThemeFactory(name="open source")
    ThemeAliasFactory(theme=theme, name="oss")
    ThemeFactory(name="nonsense", status=Theme.Status.REJECTED)

    with pytest.raises(ThemeError) as error:
        theme_create(name=name, user=editor)

    assert str(error.value) == message
    assert Theme.objects.count() == 2
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(editor, name):
    with pytest.raises(ThemeError, match="a theme name needs at least one character"):
        theme_create(name=name, user=editor)
    assert not Theme.objects.exists()


def test_a_long_name_is_refused_with_the_limit_and_its_length_not_cut(editor):
    with pytest.raises(ThemeError) as error:
        theme_create(name="x" * 121, user=editor)
    assert str(error.value) == "Theme names can be at most 120 characters; this one has 121."
    assert not Theme.objects.exists()


# --- The page ------------------------------------------------------------------------


def test_editors_get_the_form_on_the_index(client, editor):
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert f'action="{CREATE}"' in html
    assert '<label for="new-theme">Name of the new theme</label>' in html


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_readers_and_analysts_get_no_form_and_a_403(client, role):
    client.force_login(UserFactory(role=role))
    assert CREATE not in client.get(INDEX).content.decode()
    response = client.post(CREATE, {"name": "sneaky"})
    assert response.status_code == 403
    assert not Theme.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.post(CREATE, {"name": "sneaky"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Theme.objects.exists()


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_create_and_land_on_the_theme(client, role):
    client.force_login(UserFactory(role=role))

    response = client.post(CREATE, {"name": "Fusion energy"}, follow=True)

    theme = Theme.objects.get()
    assert response.redirect_chain == [(theme.get_absolute_url(), 302)]
    assert "Added the theme “Fusion energy”." in response.content.decode()


def test_a_duplicate_shows_the_reason_and_keeps_the_name(client, editor):
    ThemeFactory(name="fusion")
    client.force_login(editor)

    response = client.post(CREATE, {"name": "Fusion"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Name: &#x27;Fusion&#x27; is already the theme &#x27;fusion&#x27; (approved)" in html
    assert 'name="name" value="Fusion"' in html
    assert '<details class="curation" open>' in html
    assert Theme.objects.count() == 1


def test_get_is_not_allowed(client, editor):
    client.force_login(editor)
    assert client.get(CREATE).status_code == 405
