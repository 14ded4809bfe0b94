import pytest
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


@pytest.mark.django_db
def test_the_login_page_has_labelled_fields_and_keeps_next(client):
    response = client.get(LOGIN, {"next": "/themes/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert '<input type="hidden" name="next" value="/themes/">' in html


def test_a_good_login_goes_home(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_good_login_goes_to_next(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/themes/"})

    assert response["Location"] == "/themes/"


def test_a_login_ignores_a_next_on_another_site(client, alice):
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("dashboard")


def test_a_bad_login_shows_an_error(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": "wrong", "next": "/themes/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Please enter a correct username and password" in html
    assert 'name="next" value="/themes/"' in html
    assert "_auth_user_id" not in client.session


def test_the_header_shows_who_is_signed_in_and_their_role(client, alice):
    client.force_login(alice)

    html = client.get(LOGIN).content.decode()

    assert "alice · reader" in html
    assert "You are signed in as alice" in html


def test_logout_by_post_signs_out(client, alice):
    client.force_login(alice)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused(client, alice):
    client.force_login(alice)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)
