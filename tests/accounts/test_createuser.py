import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.accounts.roles import role_of
from tests.accounts.factories import UserFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
COMMAND = "apps.accounts.management.commands.createuser"


def createuser(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def typed(monkeypatch):
    """What the operator types at the getpass prompts, in order."""
    answers: list[str] = []
    monkeypatch.setattr(f"{COMMAND}.getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


@pytest.fixture
def no_prompt(monkeypatch):
    def fail(prompt=""):
        raise AssertionError("asked for a password")

    monkeypatch.setattr(f"{COMMAND}.getpass.getpass", fail)


def test_it_asks_for_the_password_twice_and_creates_the_user(typed):
    typed.extend([PASSWORD, PASSWORD])

    out = createuser("dora", "--role", "analyst", "--email", "dora@example.com")

    user = User.objects.get(username="dora")
    assert user.check_password(PASSWORD)
    assert user.email == "dora@example.com"
    assert role_of(user) == "analyst"
    assert not user.is_staff
    assert "Created user 'dora' with role analyst." in out
    assert typed == []


def test_it_refuses_two_different_passwords(typed):
    typed.extend([PASSWORD, PASSWORD + "!"])

    with pytest.raises(CommandError, match="differ"):
        createuser("dora", "--role", "reader")
    assert not User.objects.filter(username="dora").exists()


def test_it_reads_the_password_from_stdin(no_prompt):
    createuser("dora", "--role", "reader", "--password-stdin", stdin=io.StringIO(PASSWORD + "\n"))

    assert User.objects.get(username="dora").check_password(PASSWORD)


def test_it_refuses_an_empty_password_from_stdin(no_prompt):
    with pytest.raises(CommandError, match="empty"):
        createuser("dora", "--role", "reader", "--password-stdin", stdin=io.StringIO(""))


def test_it_generates_a_password_and_prints_it_once(no_prompt):
    out = createuser("dora", "--role", "editor", "--generate-password")

    printed = [line for line in out.splitlines() if line.startswith("Password: ")]
    assert len(printed) == 1
    password = printed[0].removeprefix("Password: ")
    assert User.objects.get(username="dora").check_password(password)


def test_the_admin_role_gets_the_django_admin_but_not_superuser(no_prompt):
    createuser("dora", "--role", "admin", "--generate-password")

    user = User.objects.get(username="dora")
    assert user.is_staff
    assert not user.is_superuser
    assert role_of(user) == "admin"


def test_it_refuses_an_unknown_role(no_prompt):
    with pytest.raises(CommandError, match="invalid choice: 'owner'"):
        createuser("dora", "--role", "owner", "--generate-password")


def test_it_refuses_an_existing_user_without_update_role(no_prompt):
    UserFactory(username="dora", role="reader")

    with pytest.raises(CommandError, match=r"already exists.*--update-role"):
        createuser("dora", "--role", "admin", "--generate-password")
    assert role_of(User.objects.get(username="dora")) == "reader"


def test_update_role_changes_the_role_and_keeps_the_password(no_prompt):
    UserFactory(username="dora", role="reader")

    out = createuser("dora", "--role", "editor", "--update-role")

    user = User.objects.get(username="dora")
    assert role_of(user) == "editor"
    assert user.check_password(PASSWORD)
    assert "Updated user 'dora' with role editor." in out


def test_update_role_sets_a_new_password_when_asked(no_prompt):
    UserFactory(username="dora", role="reader")

    createuser(
        "dora", "--role", "reader", "--update-role", "--password-stdin", stdin=io.StringIO("x" * 20)
    )

    assert User.objects.get(username="dora").check_password("x" * 20)


def test_it_prints_what_the_password_validators_say(no_prompt):
    with pytest.raises(CommandError) as raised:
        createuser("dora", "--role", "reader", "--password-stdin", stdin=io.StringIO("12345"))

    message = str(raised.value)
    assert "too short" in message
    assert "too common" in message
    assert "entirely numeric" in message
    assert not User.objects.filter(username="dora").exists()


def test_it_refuses_a_password_too_like_the_username(no_prompt):
    with pytest.raises(CommandError, match="too similar to the username"):
        createuser(
            "dorothea", "--role", "reader", "--password-stdin", stdin=io.StringIO("dorothea1")
        )


def test_it_refuses_an_invalid_username_or_email(no_prompt):
    with pytest.raises(CommandError, match="username"):
        createuser("no spaces allowed", "--role", "reader", "--generate-password")
    with pytest.raises(CommandError, match="email"):
        createuser("dora", "--role", "reader", "--email", "not-an-email", "--generate-password")
    assert not User.objects.exists()
