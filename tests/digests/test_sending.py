"""Digest e-mails through Django's mail backend (locmem in tests): content, claims, schedule."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.digests import tasks
from apps.digests.models import DigestPreference, Frequency
from apps.digests.sending import Outcome, digest_send, due_users, send_due_digests
from apps.digests.services import theme_follow
from tests.accounts.factories import UserFactory
from tests.digests.conftest import signal_on
from tests.support.http import closed_port
from tests.support.smtp import smtp_server


@pytest.fixture
def following(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    return rita


def test_the_email_has_text_and_html_from_the_same_digest(following, tidal, settings):
    settings.SPYGLASS_SITE_URL = "https://spyglass.example.org/"
    signal = signal_on(tidal, name="Tidal batteries <sold out>", description="Cheap storage.")

    result = digest_send(user=following)

    assert result.outcome == Outcome.SENT
    (message,) = mail.outbox
    assert message.to == ["rita@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Spyglass digest: 1 new item on the 1 theme you follow"
    link = f"https://spyglass.example.org/sources/{signal.source_id}/#signals-{signal.pk}"
    assert "Tidal batteries <sold out>" in message.body  # plain text: not escaped
    assert link in message.body and "-- tidal power (1) --" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Tidal batteries &lt;sold out&gt;" in html
    assert f'href="{link}"' in html and "Cheap storage." in html


def test_the_email_offers_a_one_click_unsubscribe(following, tidal, settings):
    settings.SPYGLASS_SITE_URL = "https://spyglass.example.org"
    signal_on(tidal)

    digest_send(user=following)

    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://spyglass.example.org/digest/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in message.body
    assert header.strip("<>") in message.alternatives[0][0]


def test_nothing_is_sent_when_there_is_nothing_new(following, tidal):
    signal_on(tidal, relevancy=3)

    result = digest_send(user=following)

    assert result.outcome == Outcome.EMPTY
    assert mail.outbox == []
    preference = DigestPreference.objects.get(user=following)
    assert preference.last_sent_at is None and preference.claimed_at is None


def test_the_send_time_is_recorded_and_the_next_digest_starts_there(following, tidal):
    signal_on(tidal, name="first")
    before = timezone.now()

    digest_send(user=following)
    sent_at = DigestPreference.objects.get(user=following).last_sent_at
    signal_on(tidal, name="second", days_ago=0)
    digest_send(user=following, due_only=False)

    assert sent_at >= before
    assert [m.body.count("* ") for m in mail.outbox] == [1, 1]
    assert "second" in mail.outbox[1].body and "first" not in mail.outbox[1].body


def test_a_digest_sent_is_not_due_again_until_its_frequency_has_passed(following, tidal):
    signal_on(tidal)
    digest_send(user=following)
    signal_on(tidal, days_ago=0)

    again = digest_send(user=following)

    assert again.outcome == Outcome.SKIPPED
    assert len(mail.outbox) == 1
    assert list(due_users()) == []
    DigestPreference.objects.filter(user=following).update(
        last_sent_at=timezone.now() - timedelta(days=7)
    )
    assert list(due_users()) == [following]


def test_a_daily_digest_is_due_after_a_day(following, tidal):
    DigestPreference.objects.create(
        user=following, frequency=Frequency.DAILY, last_sent_at=timezone.now() - timedelta(hours=23)
    )
    assert list(due_users()) == [following]  # within the hour of slack
    DigestPreference.objects.filter(user=following).update(last_sent_at=timezone.now())
    assert list(due_users()) == []


def test_a_digest_claimed_by_another_round_is_not_sent_twice(following, tidal):
    signal_on(tidal)
    DigestPreference.objects.create(user=following, claimed_at=timezone.now())

    result = digest_send(user=following)

    assert result.outcome == Outcome.SKIPPED
    assert mail.outbox == []


def test_a_claim_left_by_a_dead_worker_expires(following, tidal):
    signal_on(tidal)
    DigestPreference.objects.create(user=following, claimed_at=timezone.now() - timedelta(hours=1))

    assert digest_send(user=following).outcome == Outcome.SENT


@pytest.mark.django_db(transaction=True)
def test_two_rounds_at_once_send_one_digest(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal)
    barrier = threading.Barrier(2)
    outcomes = []

    def round_() -> None:
        barrier.wait()
        try:
            outcomes.extend(result.outcome for result in send_due_digests())
        finally:
            connection.close()

    threads = [threading.Thread(target=round_) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.outbox) == 1
    assert sorted(outcomes).count(Outcome.SENT) == 1


def test_users_who_turned_digests_off_get_none(following, tidal):
    signal_on(tidal)
    DigestPreference.objects.create(user=following, frequency=Frequency.NEVER)

    assert list(due_users()) == []
    assert digest_send(user=following, due_only=False).outcome == Outcome.SKIPPED
    assert mail.outbox == []


def test_users_without_an_address_or_a_role_get_none(tidal):
    signal_on(tidal)
    for user in (UserFactory(role="reader", email=""), UserFactory(email="norole@example.org")):
        theme_follow(user=user, theme=tidal)

    results = send_due_digests()

    assert [r.reason for r in results] == ["no reader role"]  # no address: never due
    assert mail.outbox == []


def test_the_beat_task_sends_the_due_digests(following, tidal):
    signal_on(tidal)

    tasks.send_due.apply()

    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_task():
    from config.celery import app

    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "digests.send_due" in entries


def test_the_command_dry_run_sends_and_records_nothing(following, tidal, capsys):
    signal_on(tidal)

    call_command("send_digests", "--dry-run")

    out = capsys.readouterr().out
    assert "rita: would send (1 new)" in out and "1 digest would be sent." in out
    assert mail.outbox == []
    assert not DigestPreference.objects.filter(last_sent_at__isnull=False).exists()


def test_the_command_sends_one_users_digest_due_or_not(following, tidal, capsys):
    signal_on(tidal)
    DigestPreference.objects.create(user=following, last_sent_at=timezone.now() - timedelta(days=2))

    call_command("send_digests", "--user", "rita")

    assert "rita: sent (1 new)" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_names_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named “nobody”"):
        call_command("send_digests", "--user", "nobody")


def test_the_command_says_when_there_is_nothing_new(following, capsys):
    call_command("send_digests")

    assert "rita: nothing new, nothing sent" in capsys.readouterr().out
    assert mail.outbox == []


def test_a_mail_server_that_refuses_leaves_the_digest_for_the_next_round(
    following, tidal, settings
):
    signal_on(tidal, name="Tidal batteries")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", False, 5
    with closed_port() as port:
        settings.EMAIL_PORT = port
        (result,) = send_due_digests()

    assert result.outcome == Outcome.SKIPPED and "refused" in result.reason.lower()
    preference = DigestPreference.objects.get(user=following)
    assert preference.last_sent_at is None and preference.claimed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (result,) = send_due_digests()
    assert result.outcome == Outcome.SENT and "Tidal batteries" in mail.outbox[0].body


def test_the_digest_goes_over_smtp_as_a_multipart_message(following, tidal, settings):
    signal_on(tidal, name="Tidal batteries")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", False, 5
    with smtp_server() as mailbox:
        settings.EMAIL_PORT = mailbox.port
        (result,) = send_due_digests()

    assert result.outcome == Outcome.SENT
    (received,) = mailbox.received
    assert received.recipients == ["rita@example.org"]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/digest/unsubscribe/" in message["List-Unsubscribe"]
    text, html = (part.get_content() for part in message.iter_parts())
    assert "Tidal batteries" in text and "Tidal batteries</a>" in html
