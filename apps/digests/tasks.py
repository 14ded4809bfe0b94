"""Beat's digest round: a thin adapter over sending.send_due_digests."""

from celery import shared_task

from apps.digests import sending


@shared_task(name="digests.send_due", ignore_result=True, soft_time_limit=1500, time_limit=1800)
def send_due() -> None:
    """Send every due digest; each is claimed, so an overlapping round skips it."""
    sending.send_due_digests()
