import io
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.accounts.roles import role_of
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def ensure_admin(*args) -> str:
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def _printed_password(out: str) -> str:
    (line,) = [line for line in out.splitlines() if "Password:" in line]
    return line.split("Password:")[1].strip()


def test_it_creates_an_admin_and_prints_how_to_log_in(var_dir):
    out = ensure_admin()

    user = User.objects.get(username="admin")
    assert role_of(user) == "admin"
    assert user.is_staff and not user.is_superuser
    assert "http://127.0.0.1:8000/accounts/login/" in out
    assert "admin" in out
    assert user.check_password(_printed_password(out))
    assert str(var_dir / "admin-credentials.txt") in out


def test_it_keeps_the_credentials_in_a_file_only_the_owner_can_read(var_dir):
    out = ensure_admin()

    path = var_dir / "admin-credentials.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert _printed_password(out) in text
    assert "http://127.0.0.1:8000/accounts/login/" in text


def test_it_is_idempotent(var_dir):
    first = ensure_admin()
    credentials = (var_dir / "admin-credentials.txt").read_text()

    second = ensure_admin()

    assert User.objects.count() == 1
    assert User.objects.get().check_password(_printed_password(first))
    assert (var_dir / "admin-credentials.txt").read_text() == credentials
    assert len(second.strip().splitlines()) == 1
    assert "admin account exists (admin)" in second
    assert str(var_dir / "admin-credentials.txt") in second


def test_an_existing_admin_role_user_is_enough(var_dir):
    UserFactory(username="dora", role="admin")

    out = ensure_admin()

    assert not User.objects.filter(username="admin").exists()
    assert "(dora)" in out
    assert "credentials" not in out
    assert not (var_dir / "admin-credentials.txt").exists()


def test_an_existing_superuser_is_enough(var_dir):
    UserFactory(username="root", is_superuser=True)

    ensure_admin()

    assert User.objects.count() == 1


def test_a_deactivated_admin_does_not_count(var_dir):
    UserFactory(username="dora", role="admin", is_active=False)

    ensure_admin()

    assert role_of(User.objects.get(username="admin")) == "admin"


def test_it_takes_another_username(var_dir):
    ensure_admin("--username", "chief")

    assert role_of(User.objects.get(username="chief")) == "admin"


def test_it_will_not_take_over_an_existing_non_admin_user(var_dir):
    UserFactory(username="admin", role="reader")

    with pytest.raises(CommandError, match=r"already exists.*--update-role"):
        ensure_admin()
    assert role_of(User.objects.get(username="admin")) == "reader"
