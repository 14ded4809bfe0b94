"""Every outcome class end to end: links submitted as the form submits them, one real worker
(fetch, extract and classify queues) working through them against the test site.

One batch and one worker serve every test in this module: the worker is the slow part, and
each test then reads the outcome of its own link.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from apps.core.models import Origin
from apps.sources.models import Source, Submission
from apps.sources.pipeline.queue import FINAL
from apps.sources.services import urls_submit
from tests.support import pages
from tests.support.broker import purge_broker
from tests.support.http import Request, closed_port, serving
from tests.support.worker import (
    MAX_ATTEMPTS,
    PIPELINE_QUEUES,
    QUICK_ATTEMPTS,
    Worker,
    allowed_addresses,
    pipeline_env,
    wait_until,
)

# django_db: the batch fixture uses the test database (pytest-django sets it up only for a
# run with tests marked so); each test itself only reads the batch's outcomes.
pytestmark = [pytest.mark.worker, pytest.mark.django_db]
Status = Source.Status

BIG = 600_000  # well over the workers' 0.25 MB cap
LINKS = {
    "ok": "/ok",
    "not_found": "/404",
    "flaky": "/flaky?key=outcomes",
    "ratelimited": "/ratelimited?key=outcomes",
    "slow": "/slow?seconds=5",
    "big_streamed": f"/big?size={BIG}",
    "big_declared": f"/big?size={BIG}&declared=1",
    "loop_self": "/loop",
    "loop_pair": "/loop-a",
    "image": "/image",
    "latin1_meta": "/latin1-meta",
    "latin1_header": "/latin1-header",
    "challenge": "/challenge",
    "empty": "/empty",
    "pdf": "/pdf",
    # "to_private" is added with the port of a second server: see the fixture.
}


@dataclass
class Outcome:
    source: Source
    keywords: list[tuple[str, str]]  # (label, origin) of the SourceKeyword rows
    submissions: int
    requests: list[Request]


@dataclass
class Batch:
    outcomes: dict[str, Outcome]
    submitted_at: datetime
    finished_at: datetime
    private_requests: list[Request]  # what the server behind the redirect saw
    log: Path

    def __getitem__(self, name: str) -> Outcome:
        return self.outcomes[name]


@pytest.fixture(scope="module")
def batch(django_db_setup, django_db_blocker, site, tmp_path_factory):
    # Outside a test transaction (like transactional_db): the worker must see the rows, and
    # on_commit sends each task as the form's request would.
    # The links to refuse are not refused at submit: the test site's port and the closed
    # one are let through the guard, in this process (submit) and in the worker (fetch).
    with serving() as private_site, closed_port() as closed, django_db_blocker.unblock():
        links = {**LINKS, "to_private": f"/to-private?port={private_site.port}"}
        urls = [site.url(path) for path in links.values()]
        links["refused"] = f"/nothing-listens?port={closed}"
        urls.append(f"http://127.0.0.1:{closed}/nothing-listens")
        purge_broker()
        log = tmp_path_factory.mktemp("worker") / "worker.log"
        worker = Worker(log, queues=PIPELINE_QUEUES, env=pipeline_env(site.port, closed))
        fetch = {
            **settings.SPYGLASS_FETCH,
            "allowed_addresses": allowed_addresses(site.port, closed),
        }
        try:
            submitted_at = timezone.now()
            with override_settings(SPYGLASS_FETCH=fetch):
                result = urls_submit("\n".join(urls))
            assert not result.errors
            ids = {name: item.source.pk for name, item in zip(links, result.accepted, strict=True)}
            pending = Source.objects.filter(pk__in=ids.values()).exclude(status__in=FINAL)
            wait_until(lambda: not pending.exists(), worker)
            outcomes = {}
            for name, pk in ids.items():
                source = Source.objects.get(pk=pk)
                path, _, query = links[name].partition("?")
                outcomes[name] = Outcome(
                    source=source,
                    keywords=list(source.keyword_links.values_list("label", "origin")),
                    submissions=Submission.objects.filter(source=source).count(),
                    requests=site.hits(path, **dict(parse_qsl(query))),
                )
            yield Batch(outcomes, submitted_at, timezone.now(), list(private_site.requests), log)
        finally:
            worker.kill()  # quicker than a warm shutdown, and nothing is left to finish
            purge_broker()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _worker_log(batch):
    yield
    print(f"--- worker log\n{batch.log.read_text(errors='replace')}")  # shown on failure


def test_every_link_ends_in_a_final_state_with_one_submission(batch):
    assert all(outcome.source.status in FINAL for outcome in batch.outcomes.values())
    assert all(outcome.submissions == 1 for outcome in batch.outcomes.values())


def test_the_happy_path_records_the_page(batch):
    source = batch["ok"].source

    assert source.status == Status.DONE
    assert (source.failure_code, source.failure_message, source.attempts) == ("", "", 0)
    assert source.title == pages.ARTICLE_TITLE
    assert pages.ARTICLE_PARAGRAPHS[2] in source.extracted_text
    assert source.author == pages.ARTICLE_AUTHOR
    assert source.language == "en"
    assert source.http_status == 200
    assert (source.content_type, source.charset) == ("text/html", "utf-8")
    assert source.final_url == source.url
    assert batch.submitted_at <= source.fetched_at <= batch.finished_at


def test_the_happy_path_keeps_the_raw_page_compressed(batch):
    raw = bytes(batch["ok"].source.raw_content)

    assert zlib.decompress(raw) == pages.article_html().encode("utf-8")
    assert len(raw) < len(pages.article_html())


def test_the_happy_path_gets_machine_keywords(batch):
    outcome = batch["ok"]

    # Which keywords is the classifier's business; that the stage stores them is ours.
    labels = [label for label, _origin in outcome.keywords]
    assert "tidal batteries" in [label.lower() for label in labels]
    assert {origin for _label, origin in outcome.keywords} == {Origin.AI}
    assert outcome.source.machine_values["keywords"] == labels


def test_the_fetch_says_who_it_is(batch):
    (request,) = batch["ok"].requests

    assert request.headers["User-Agent"].startswith("Spyglass/")


def test_a_404_fails_at_once(batch):
    outcome = batch["not_found"]

    assert outcome.source.status == Status.FAILED
    assert outcome.source.failure_code == "http_404"
    assert outcome.source.failure_message == "HTTP 404"
    assert len(outcome.requests) == 1  # permanent: never retried


def test_a_500_then_the_page_is_retried_and_done(batch):
    outcome = batch["flaky"]

    assert outcome.source.status == Status.DONE
    assert outcome.source.title == pages.ARTICLE_TITLE
    assert outcome.source.failure_message == ""
    assert len(outcome.requests) == 2


def test_a_429_is_retried_after_the_time_the_server_asked_for(batch):
    outcome = batch["ratelimited"]

    assert outcome.source.status == Status.DONE
    first, second = outcome.requests
    # Retry-After: 1. The workers' own backoff (0.2 s base) would have come back sooner.
    assert second.at - first.at >= 0.9


def test_a_server_that_never_answers_is_retried_then_given_up(batch):
    outcome = batch["slow"]

    assert outcome.source.status == Status.FAILED
    assert outcome.source.failure_code == "timeout"
    assert outcome.source.failure_message == (
        f"timed out waiting for the server (gave up after {MAX_ATTEMPTS} attempts)"
    )
    assert outcome.source.attempts == MAX_ATTEMPTS
    assert len(outcome.requests) == MAX_ATTEMPTS


@pytest.mark.parametrize("name", ["big_streamed", "big_declared"])
def test_a_body_over_the_cap_fails(batch, name):
    source = batch[name].source

    assert source.status == Status.FAILED
    assert source.failure_code == "too_large"
    assert source.failure_message == "too large: over 0.25 MB"
    assert source.raw_content is None


@pytest.mark.parametrize("name", ["loop_self", "loop_pair"])
def test_a_redirect_loop_fails(batch, name):
    source = batch[name].source

    assert source.status == Status.FAILED
    assert source.failure_code == "redirect_loop"
    assert source.failure_message.startswith("redirect loop")


def test_an_image_is_an_unsupported_type(batch):
    source = batch["image"].source

    assert source.status == Status.FAILED
    assert source.failure_code == "unsupported_type"
    assert source.failure_message == "unsupported type: image/png"


@pytest.mark.parametrize("name", ["latin1_meta", "latin1_header"])
def test_a_latin1_page_reads_correctly(batch, name):
    source = batch[name].source

    assert source.status == Status.DONE
    assert source.title == "Les marées au café du port"
    assert "Au café de la place, les élèves du lycée maritime" in source.extracted_text
    assert "même les plus naïves" in source.extracted_text
    assert "Ã" not in source.extracted_text  # no UTF-8 misreading
    assert source.language == "fr"


def test_a_challenge_page_is_blocked(batch):
    source = batch["challenge"].source

    assert source.status == Status.BLOCKED
    assert source.failure_code == "challenge"
    assert source.failure_message == "blocked: challenge page"


def test_a_near_empty_page_has_no_content(batch):
    source = batch["empty"].source

    assert source.status == Status.NO_CONTENT
    assert source.failure_code == "no_content"
    assert "paste the text or upload the page" in source.failure_message


def test_a_pdf_has_its_text_extracted(batch):
    source = batch["pdf"].source

    assert source.status == Status.DONE
    assert source.content_type == "application/pdf"
    assert source.title == "Tidal storage report"
    assert "Divers inspect the turbines every month" in source.extracted_text


def test_a_redirect_to_an_address_not_allowed_is_refused(batch):
    source = batch["to_private"].source

    assert source.status == Status.FAILED
    assert source.failure_code == "private_address"
    assert source.failure_message == "refused: 127.0.0.1 is a loopback address"
    assert batch.private_requests == []


def test_a_refused_connection_fails_after_a_few_quick_attempts(batch):
    source = batch["refused"].source
    port = source.url.split(":")[2].split("/")[0]

    assert source.status == Status.FAILED
    assert source.failure_code == "connection_refused"
    assert source.failure_message == (
        f"the server refused the connection (nothing listens on port {port})"
        f" (gave up after {QUICK_ATTEMPTS} attempts)"
    )
    assert source.attempts == QUICK_ATTEMPTS < MAX_ATTEMPTS
