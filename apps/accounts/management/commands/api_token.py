"""Create, list or revoke a user's API tokens from the shell."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.tokens import token_create, token_revoke, tokens_of


class Command(BaseCommand):
    help = (
        "Create an API token for USER and print it once (default), list USER's tokens "
        "(--list) or revoke one (--revoke ID)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument("--list", action="store_true", help="list the user's tokens")
        parser.add_argument("--revoke", type=int, metavar="ID", help="revoke the token ID")

    def handle(self, *args, username: str, name: str, list: bool, revoke: int | None, **options):
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if list:
            self._list(user)
        elif revoke is not None:
            token = tokens_of(user).filter(pk=revoke).first()
            if token is None:
                raise CommandError(f"{username} has no token with id {revoke}; see --list.")
            token_revoke(token=token)
            self.stdout.write(f"Revoked token {token.pk} ({token.name}).")
        else:
            try:
                token, plaintext = token_create(user=user, name=name)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stderr.write(f"Token {token.pk} ({token.name}) for {username}; shown only once:")
            self.stdout.write(plaintext)

    def _list(self, user) -> None:
        rows = tokens_of(user)
        if not rows:
            self.stdout.write("No tokens.")
        for token in rows:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.name}\tcreated "
                f"{token.created:%Y-%m-%d %H:%M}\tlast used {used}\t{state}"
            )
