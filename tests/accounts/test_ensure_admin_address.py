"""ensure_admin prints the address `make run` really serves on (RUN_ADDR), not a fixed one."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.management.commands.ensure_admin import local_base_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def test_it_prints_the_login_on_the_address_make_run_serves(monkeypatch, var_dir):
    monkeypatch.setenv("RUN_ADDR", "127.0.0.1:8503")
    out = io.StringIO()

    call_command("ensure_admin", stdout=out)

    assert "Log in at: http://127.0.0.1:8503/accounts/login/" in out.getvalue()
    text = (var_dir / "admin-credentials.txt").read_text()
    assert "http://127.0.0.1:8503/accounts/login/" in text
    assert ":8000" not in out.getvalue() + text


@pytest.mark.parametrize(
    ("run_addr", "url"),
    [
        ("", "http://127.0.0.1:8000"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:8001", "http://127.0.0.1:8001"),
        ("localhost:9000", "http://localhost:9000"),
        ("[::1]:8002", "http://[::1]:8002"),
    ],
)
def test_each_run_addr_form_runserver_takes_gives_an_address_a_browser_opens(
    monkeypatch, run_addr, url
):
    monkeypatch.setenv("RUN_ADDR", run_addr)

    assert local_base_url() == url
