"""docker-compose.yml and the Dockerfile, checked without Docker (none runs here).

They must parse, give every long-running service a health check, run as a non-root user,
and name only commands, modules, files and settings that exist.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
SERVICES = COMPOSE["services"]


def command_of(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def test_the_stack_has_every_part():
    expected = {"db", "redis", "migrate", "web", "worker", "beat", "ollama"}
    expected |= {f"worker-{stage}" for stage in ("fetch", "extract", "classify")}
    assert expected <= set(SERVICES)
    assert SERVICES["ollama"]["profiles"] == ["llm"]  # optional, off by default


@pytest.mark.parametrize("name", sorted(set(SERVICES) - {"migrate"}))
def test_every_long_running_service_has_a_health_check(name):
    check = SERVICES[name].get("healthcheck", {})
    assert check.get("test") and not check.get("disable"), name


def test_every_volume_is_named():
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert not source.startswith((".", "/")), f"{name} mounts a host path: {volume}"
            assert source in COMPOSE["volumes"], f"{name}: volume {source} is not declared"


def commands_of(service: dict) -> list[list[str]]:
    """The service's command, or each command of an `sh -c "a && b"`."""
    words = command_of(service)
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in words[2].split("&&")]
    return [words] if words else []


def test_commands_name_what_exists():
    commands = get_commands()
    for name, service in SERVICES.items():
        if name in {"db", "redis"}:
            continue
        for words in commands_of(service):
            check_command(name, words, commands)


def test_the_migrate_job_clears_the_metrics_of_the_last_run():
    steps = [words[:3] for words in commands_of(SERVICES["migrate"])]

    assert steps == [["python", "manage.py", "migrate"], ["python", "manage.py", "metrics_reset"]]


def test_the_web_runs_threaded_workers_so_long_streams_are_not_killed():
    web = next(words for words in commands_of(SERVICES["web"]) if words[0] == "gunicorn")
    image = re.search(r"^CMD \[(.+?)\]$", DOCKERFILE, re.M | re.S).group(1)

    assert "--worker-class=gthread" in web and any(w.startswith("--threads=") for w in web)
    assert '"--worker-class", "gthread"' in image and '"--threads"' in image


def check_command(name: str, words: list[str], commands: dict) -> None:
    if words[:2] == ["python", "manage.py"]:
        assert words[2] in commands, f"{name}: no manage.py command {words[2]}"
    elif words[0] == "gunicorn":
        module, _, attribute = words[1].partition(":")
        assert (ROOT / Path(*module.split("."))).with_suffix(".py").exists()
        assert attribute == "application"
    elif words[0] == "celery":
        assert words[1:3] == ["-A", "config"] and (ROOT / "config" / "celery.py").exists()
        queues = [w.split("=", 1)[1] for w in words if w.startswith("--queues=")]
        for queue in queues:
            assert queue in {"celery", "fetch", "extract", "classify"}, f"{name}: {queue}"


def test_files_the_images_use_exist():
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies {path}, which does not exist"
    for name, service in SERVICES.items():
        for word in str(service.get("healthcheck", {}).get("test", "")).split():
            if word.strip("'\",[]").startswith("scripts/"):
                assert (ROOT / word.strip("'\",[]")).exists(), f"{name}: {word}"


def test_the_image_is_built_in_stages_and_runs_unprivileged():
    stages = re.findall(r"^FROM ", DOCKERFILE, re.M)
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert len(stages) >= 2
    assert users and users[-1] not in {"root", "0"}
    assert "HEALTHCHECK" in DOCKERFILE
    assert "--require-hashes -r /tmp/requirements-pip.lock" in DOCKERFILE


def test_every_variable_compose_reads_is_documented():
    text = (ROOT / "docker-compose.yml").read_text()
    # $${NAME} is the container's own variable at check time (HOSTNAME, WORKER_NAME).
    variables = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)", text))
    missing = sorted(v for v in variables if f"`{v}`" not in CONFIGURATION)
    assert missing == [], "document these in docs/configuration.md"
