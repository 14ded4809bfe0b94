"""The documented account commands work in a `make run` checkout, as the login page says."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def clean_env(var_dir: Path) -> dict[str, str]:
    """A shell after `make run`: no DEBUG, no SECRET_KEY, only the generated key file."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "SPYGLASS_VAR_DIR": str(var_dir),
    }


@pytest.fixture
def make_run_var(tmp_path) -> Path:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "secret_key").write_text("generated-by-make-run-" + "k" * 40)
    return var_dir


def test_manage_py_runs_without_debug_after_make_run(make_run_var):
    done = subprocess.run(
        [sys.executable, "manage.py", "createuser", "--help"],
        cwd=ROOT,
        env=clean_env(make_run_var),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "--role" in done.stdout
    assert "SECRET_KEY" not in done.stderr


def test_make_manage_runs_a_command(make_run_var):
    done = subprocess.run(
        ["make", "--no-print-directory", "manage", "ARGS=check"],
        cwd=ROOT,
        env=clean_env(make_run_var),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_make_manage_without_args_says_how(make_run_var):
    done = subprocess.run(
        ["make", "--no-print-directory", "manage"],
        cwd=ROOT,
        env=clean_env(make_run_var),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode != 0
    assert 'make manage ARGS="createuser ana --role analyst"' in done.stderr


@pytest.mark.django_db
def test_the_login_page_shows_the_command_that_works(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert 'make manage ARGS="createuser NAME --role analyst"' in html
