"""An isolated Spyglass environment for a benchmark: its own database, broker and var dir.

The embedded defaults (a fresh SQLite file and a filesystem broker in a temporary
SPYGLASS_VAR_DIR) unless DATABASE_URL (PostgreSQL) or REDIS_URL (Redis broker and cache)
are set. The pages are served on 127.0.0.1, so the SSRF guard is off here: that setting is
for development and tests only.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.corpus import PROJECT_DIR


def bench_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The process environment for the benchmark, its workers and its commands."""
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)  # the broker is Redis when REDIS_URL is set, else files
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SPYGLASS_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",  # DEBUG keeps every SQL query in memory: not what production runs
        SPYGLASS_FETCH_ALLOW_PRIVATE="true",  # development/test only: pages on 127.0.0.1
        SPYGLASS_HOST_DELAY="0",  # every page is on the same host here
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")])),
    )
    env.update(overrides)
    return env


def describe_setup(env: dict[str, str]) -> dict[str, str]:
    """Which database and broker the environment uses (no passwords)."""
    database = env.get("DATABASE_URL", "").strip()
    redis = env.get("REDIS_URL", "").strip()
    return {
        "database": _safe_url(database) if database else "sqlite (fresh file in a temp dir)",
        "broker": f"redis {_safe_url(redis)}" if redis else "filesystem (temp dir)",
    }


def migrate(env: dict[str, str]) -> None:
    """Create the schema in the environment's database (`manage.py migrate`)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )


def activate(env: dict[str, str]) -> None:
    """Make this process use the environment and set Django up."""
    os.environ.update(env)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
