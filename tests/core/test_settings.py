"""config/settings.py read from the environment, checked in fresh processes.

Settings are read once per process, so each case imports them in a `python -c` subprocess
with an environment built from scratch (nothing leaks in from the test run or the shell).
"""

import ast
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings as s

db = s.DATABASES["default"]
print(json.dumps({
    "debug": s.DEBUG,
    "secret_key": s.SECRET_KEY,
    "var_dir": str(s.VAR_DIR),
    "db_engine": db["ENGINE"],
    "db_name": str(db["NAME"]),
    "db_host": db.get("HOST", ""),
    "db_options": db.get("OPTIONS", {}),
    "broker": s.CELERY_BROKER_URL,
    "broker_options": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION"),
    "cache_options": s.CACHES["default"].get("OPTIONS", {}),
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts_seconds": s.SECURE_HSTS_SECONDS,
    "proxy_ssl_header": s.SECURE_PROXY_SSL_HEADER,
    "allowed_hosts": s.ALLOWED_HOSTS,
    "conn_max_age": db["CONN_MAX_AGE"],
}))
"""


def run_settings(var_dir: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SPYGLASS_VAR_DIR": str(var_dir),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_for(var_dir: Path, **variables: str) -> dict:
    done = run_settings(var_dir, **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def error_for(var_dir: Path, **variables: str) -> str:
    done = run_settings(var_dir, **variables)
    assert done.returncode != 0, done.stdout
    return done.stderr.strip().splitlines()[-1]


@pytest.fixture
def var_dir(tmp_path) -> Path:
    return tmp_path / "var"


def test_defaults_need_no_services(var_dir):
    found = settings_for(var_dir, DEBUG="true")

    assert found["db_engine"] == "django.db.backends.sqlite3"
    assert found["db_name"] == str(var_dir / "spyglass.sqlite3")
    assert "journal_mode=WAL" in found["db_options"]["init_command"]
    assert found["broker"].startswith("filesystem://")
    assert found["broker_options"]["data_folder_in"] == str(var_dir / "broker" / "queue")
    assert (var_dir / "broker" / "queue").is_dir()
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_database_url_selects_postgresql(var_dir):
    url = "postgres://spyglass:secret@db.internal:5432/spyglass"

    found = settings_for(var_dir, DEBUG="true", DATABASE_URL=url)

    assert found["db_engine"] == "django.db.backends.postgresql"
    assert (found["db_name"], found["db_host"]) == ("spyglass", "db.internal")


def test_redis_url_sets_the_broker_and_the_cache(var_dir):
    found = settings_for(var_dir, DEBUG="true", REDIS_URL="redis://cache.internal:6379/2")

    assert found["broker"] == "redis://cache.internal:6379/2"
    assert found["broker_options"] == {"visibility_timeout": 300}  # just over the longest task
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://cache.internal:6379/2"


def test_without_redis_the_cache_is_per_process_and_holds_thousands_of_counts(var_dir):
    found = settings_for(var_dir, DEBUG="true")

    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["cache_options"]["MAX_ENTRIES"] >= 5000  # Django's 300 culls the facets


def test_celery_broker_url_wins_over_redis_url(var_dir):
    found = settings_for(
        var_dir,
        DEBUG="true",
        REDIS_URL="redis://cache.internal:6379/2",
        CELERY_BROKER_URL="amqp://guest:guest@mq.internal:5672//",
    )

    assert found["broker"] == "amqp://guest:guest@mq.internal:5672//"
    assert found["cache_location"] == "redis://cache.internal:6379/2"


def test_debug_off_without_secret_key_is_refused(var_dir):
    message = error_for(var_dir)

    assert "SECRET_KEY" in message
    assert not (var_dir / "secret_key").exists()


def test_debug_on_generates_a_private_secret_key_and_keeps_it(var_dir):
    first = settings_for(var_dir, DEBUG="true")
    second = settings_for(var_dir, DEBUG="true")

    key_file = var_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["secret_key"]) >= 50
    assert first["secret_key"] == second["secret_key"] == key_file.read_text().strip()


def test_secret_key_from_the_environment_is_used_as_is(var_dir):
    found = settings_for(var_dir, DEBUG="true", SECRET_KEY="from-the-environment")

    assert found["secret_key"] == "from-the-environment"
    assert not (var_dir / "secret_key").exists()


def test_debug_off_uses_the_key_make_run_generated(var_dir):
    # `make run` (DEBUG on) leaves var/secret_key; a plain `manage.py createuser` afterwards
    # runs with DEBUG off and must find it instead of refusing to start.
    generated = settings_for(var_dir, DEBUG="true")["secret_key"]

    assert settings_for(var_dir)["secret_key"] == generated
    assert settings_for(var_dir, SECRET_KEY="set-here")["secret_key"] == "set-here"


def test_the_missing_key_error_says_how_to_get_one(var_dir):
    assert "make run" in error_for(var_dir)


def test_connections_are_kept_for_a_minute_by_default(var_dir):
    url = "postgres://spyglass:secret@db.internal:5432/spyglass"

    assert settings_for(var_dir, DEBUG="true", DATABASE_URL=url)["conn_max_age"] == 60
    found = settings_for(var_dir, DEBUG="true", DATABASE_URL=url, DATABASE_CONN_MAX_AGE="0")
    assert found["conn_max_age"] == 0


def test_the_development_server_holds_no_connection_across_requests(var_dir):
    # runserver serves each request in a new thread; a kept connection per thread piled up
    # to 98 idle PostgreSQL connections. The probe poses as `manage.py runserver`.
    url = "postgres://spyglass:secret@db.internal:5432/spyglass"
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = ['manage.py', 'runserver']\n{PROBE}"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SPYGLASS_VAR_DIR": str(var_dir),
            "DEBUG": "true",
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "600",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(done.stdout.strip().splitlines()[-1])["conn_max_age"] == 0


def test_debug_off_is_https_only(var_dir):
    found = settings_for(var_dir, SECRET_KEY="x" * 50)

    assert found["debug"] is False
    assert found["session_cookie_secure"] is True
    assert found["csrf_cookie_secure"] is True
    assert found["ssl_redirect"] is True
    assert found["hsts_seconds"] == 31536000


def test_insecure_http_opt_out_turns_https_only_off(var_dir):
    found = settings_for(var_dir, SECRET_KEY="x" * 50, SPYGLASS_INSECURE_HTTP="true")

    assert found["session_cookie_secure"] is False
    assert found["csrf_cookie_secure"] is False
    assert found["ssl_redirect"] is False
    assert found["hsts_seconds"] == 0


def test_debug_on_is_not_https_only(var_dir):
    found = settings_for(var_dir, DEBUG="yes")

    assert found["debug"] is True
    assert found["session_cookie_secure"] is False
    assert found["ssl_redirect"] is False


def test_behind_proxy_trusts_x_forwarded_proto(var_dir):
    assert settings_for(var_dir, DEBUG="true")["proxy_ssl_header"] is None

    found = settings_for(var_dir, DEBUG="true", SPYGLASS_BEHIND_PROXY="true")

    assert found["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_allowed_hosts_is_a_comma_separated_list(var_dir):
    assert settings_for(var_dir, DEBUG="true")["allowed_hosts"] == [
        "127.0.0.1",
        "localhost",
        "[::1]",
    ]

    found = settings_for(var_dir, DEBUG="true", ALLOWED_HOSTS=" spyglass.example.org, ,10.0.0.5,")

    assert found["allowed_hosts"] == ["spyglass.example.org", "10.0.0.5"]


def test_a_bad_boolean_is_a_clear_error(var_dir):
    message = error_for(var_dir, DEBUG="maybe")

    assert "DEBUG must be true or false, got 'maybe'" in message


def settings_variables() -> set[str]:
    """Every environment variable config/settings.py reads through config.env."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_variable_is_in_env_example_and_the_configuration_docs():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    documented = (ROOT / "docs" / "configuration.md").read_text()

    variables = settings_variables()

    assert len(variables) > 10
    assert variables - listed == set(), "add these to .env.example"
    assert {name for name in variables if f"`{name}`" not in documented} == set(), (
        "add these to docs/configuration.md"
    )


def test_check_deploy_is_clean_with_only_the_required_settings(tmp_path):
    """Secure by default: DEBUG off, a key and the host name are all a deployment sets."""
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "SPYGLASS_VAR_DIR": str(tmp_path / "var"),
            "DEBUG": "false",
            "SECRET_KEY": "k3y-" + "x7Qz9" * 12,
            "ALLOWED_HOSTS": "spy.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
