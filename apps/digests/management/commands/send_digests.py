"""`manage.py send_digests`: one round of digest e-mails by hand, as beat sends them."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.digests.sending import Outcome, Result, digest_send, send_due_digests


class Command(BaseCommand):
    help = (
        "Send the digest e-mails that are due (what beat does every hour). --user NAME sends "
        "that user's digest now, due or not (never to a user who turned them off); "
        "--dry-run says who would get what and sends nothing. Nothing is sent to a user "
        "with nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="NAME", help="only this user, due or not")
        parser.add_argument("--dry-run", action="store_true", help="send nothing, record nothing")

    def handle(self, *args, user, dry_run, **options):
        if user is not None:
            found = get_user_model().objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"There is no user named “{user}”.")
            results = [digest_send(user=found, due_only=False, dry_run=dry_run)]
        else:
            results = send_due_digests(dry_run=dry_run)
        for result in results:
            self.stdout.write(_line(result))
        sent = sum(r.outcome in (Outcome.SENT, Outcome.WOULD_SEND) for r in results)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} {verb}.")


def _line(result: Result) -> str:
    if result.outcome in (Outcome.SENT, Outcome.WOULD_SEND):
        return f"{result.username}: {result.outcome} ({result.items} new)"
    if result.outcome is Outcome.EMPTY:
        return f"{result.username}: nothing new, nothing sent"
    return f"{result.username}: skipped ({result.reason})"
