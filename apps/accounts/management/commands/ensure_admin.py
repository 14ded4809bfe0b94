"""Make sure someone can administer Spyglass; `make run` calls this before serving."""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import ADMIN
from apps.accounts.selectors import admin_users
from apps.accounts.services import password_generate, user_create

# `make run` serves on RUN_ADDR (exported to this command too), 127.0.0.1:8000 by default;
# behind another address the path is still the same.
DEFAULT_RUN_ADDR = "127.0.0.1:8000"
# runserver's "listen everywhere" addresses are not addresses a browser can open.
_WILDCARD_HOSTS = {"0.0.0.0", "[::]", "::", ""}
CREDENTIALS_FILE = "admin-credentials.txt"


class Command(BaseCommand):
    help = (
        "Create an admin user with a generated password if no admin exists yet, print the "
        f"login details and keep them in VAR_DIR/{CREDENTIALS_FILE}. Safe to run every time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options) -> None:
        path = Path(settings.VAR_DIR) / CREDENTIALS_FILE
        existing = admin_users().first()
        if existing:
            where = f" First-run credentials: {path}" if path.exists() else ""
            self.stdout.write(
                f"An admin account exists ({existing.get_username()}); nothing to do.{where}"
            )
            return
        username, password = options["username"], password_generate()
        try:
            user_create(username=username, role=ADMIN, password=password)
        except ValidationError as exc:
            raise CommandError(
                f"Could not create {username!r}: {' '.join(exc.messages)} Give an existing "
                "user the role with: manage.py createuser NAME --role admin --update-role"
            ) from None
        url = local_base_url() + reverse("accounts:login")
        _write_private(path, _credentials_text(url, username, password))
        self.stdout.write(self.style.SUCCESS("Created the first admin account."))
        self.stdout.write(f"  Log in at: {url}\n  Username:  {username}\n  Password:  {password}")
        self.stdout.write(f"These are also in {path} (readable only by you).")


def local_base_url() -> str:
    """Where `make run` serves: RUN_ADDR as runserver reads it ("PORT" or "HOST:PORT")."""
    address = os.environ.get("RUN_ADDR", "").strip() or DEFAULT_RUN_ADDR
    host, _, port = address.rpartition(":")
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _credentials_text(url: str, username: str, password: str) -> str:
    return (
        f"Spyglass admin account, created {timezone.now():%Y-%m-%d %H:%M %Z} by ensure_admin.\n"
        f"Log in at: {url}\nUsername:  {username}\nPassword:  {password}\n"
        "Change the password (Admin > Change password), then delete this file.\n"
    )


def _write_private(path: Path, text: str) -> None:
    # Created with mode 0600 from the start, so the password is never readable by others,
    # not even between creating the file and a later chmod.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
