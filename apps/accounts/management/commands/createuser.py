"""Create a user with a role, or change an existing user's role with --update-role."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.roles import ROLES
from apps.accounts.services import password_generate, user_create, user_update


class Command(BaseCommand):
    help = (
        "Create a user with one role (reader, analyst, editor, admin). The password is asked "
        "for twice unless --password-stdin or --generate-password is given."
    )
    # Lets tests hand call_command() a stdin, as Django's createsuperuser does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
        source.add_argument(
            "--generate-password", action="store_true", help="generate one and print it once"
        )
        parser.add_argument(
            "--update-role",
            action="store_true",
            help="if the user exists, give it this role (and the email or password, if given) "
            "instead of failing",
        )

    def handle(self, *args, **options) -> None:
        name, role = options["name"], options["role"]
        user_model = get_user_model()
        existing = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: name}).first()
        if existing and not options["update_role"]:
            raise CommandError(
                f"User {name!r} already exists. To give it the {role} role, add --update-role."
            )
        # An existing user keeps its password unless a new one is asked for explicitly.
        asked = options["password_stdin"] or options["generate_password"]
        password = self._password(options) if asked or not existing else None
        try:
            if existing:
                user_update(user=existing, role=role, email=options["email"], password=password)
            else:
                user_create(username=name, role=role, password=password, email=options["email"])
        except ValidationError as exc:
            raise CommandError(_describe(exc)) from None
        verb = "Updated" if existing else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} user {name!r} with role {role}."))
        if options["generate_password"]:
            self.stdout.write(f"Password: {password}")
            self.stdout.write("It is shown only this once; store it now.")

    def _password(self, options: dict) -> str:
        if options["generate_password"]:
            return password_generate()
        if options["password_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password


def _describe(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    lines = [
        f"  - {field}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return "Rejected:\n" + "\n".join(lines)
