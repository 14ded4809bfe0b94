"""/metrics: Prometheus text for a scraper with the token, nothing without one."""

import pytest

from apps.sources.models import ClassificationRun, Source
from apps.sources.pipeline.runner import run_stage
from tests.factories import SourceFactory

TOKEN = "metrics-token-for-tests"
pytestmark = pytest.mark.django_db


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_are_off_without_a_token(client, settings):
    settings.SPYGLASS_METRICS_TOKEN = ""
    assert scrape(client).status_code == 404


def test_a_wrong_token_is_refused(client, settings):
    settings.SPYGLASS_METRICS_TOKEN = TOKEN
    response = scrape(client, "not-it")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_pipeline_in_prometheus_text(client, settings):
    settings.SPYGLASS_METRICS_TOKEN = TOKEN
    SourceFactory(status=Source.Status.FAILED, stage="fetch", failure_code="http_404")
    SourceFactory(status=Source.Status.QUEUED, stage="classify")
    done = SourceFactory(status=Source.Status.DONE, stage="classify")
    ClassificationRun.objects.create(
        source=done, classifier="llm", outcome="ok", prompt_tokens=900, completion_tokens=120
    )

    response = scrape(client)

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert 'spyglass_sources{stage="classify",status="queued"} 1.0' in text
    assert 'spyglass_sources_stopped{reason="http_404"} 1.0' in text
    assert 'spyglass_classifier_tokens_total{classifier="llm",direction="in"} 900.0' in text
    assert 'spyglass_classification_runs_total{classifier="llm",outcome="ok"} 1.0' in text
    assert 'spyglass_queue_workers{queue="fetch"} 0.0' in text


def test_stage_durations_are_counted(client, settings, site):
    settings.SPYGLASS_METRICS_TOKEN = TOKEN
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": True}
    source = SourceFactory(url=site.url("/missing"), status=Source.Status.QUEUED, stage="fetch")

    before = _count(scrape(client).content.decode())
    run_stage(source.pk, Source.Stage.FETCH)
    after = _count(scrape(client).content.decode())

    assert after == before + 1


def _count(text: str) -> float:
    prefix = 'spyglass_stage_seconds_count{outcome="failed",stage="fetch"} '
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(lines[0].removeprefix(prefix)) if lines else 0.0
