"""Users change their own password from their settings page."""

from django.urls import reverse

from tests.factories import PASSWORD

SETTINGS = reverse("accounts:settings")
CHANGE = reverse("accounts:password_change")
NEW = "a brand new passphrase 42"


def test_the_settings_page_links_the_password_change(client, alice):
    client.force_login(alice)

    assert f'href="{CHANGE}"' in client.get(SETTINGS).content.decode()


def test_the_form_asks_for_the_old_password_and_the_new_one_twice(client, alice):
    client.force_login(alice)

    response = client.get(CHANGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    for field in ("old_password", "new_password1", "new_password2"):
        assert f'name="{field}"' in html


def test_a_user_changes_their_password_and_stays_signed_in(client, alice):
    client.force_login(alice)

    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    follow = client.get(SETTINGS)
    assert follow.status_code == 200
    assert "Your password has been changed." in follow.content.decode()


def test_other_sessions_are_signed_out(client, alice, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(alice)
    client.force_login(alice)

    client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert other.get(SETTINGS).status_code == 302  # back to the login page


def test_a_wrong_old_password_is_refused_and_nothing_changes(client, alice):
    client.force_login(alice)

    response = client.post(
        CHANGE, {"old_password": "not it", "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_weak_or_mismatched_new_password_names_the_problem(client, alice):
    client.force_login(alice)

    weak = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    mismatched = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    ).content.decode()

    assert "This password is entirely numeric." in weak
    assert "The two password fields didn" in mismatched
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
