"""Clustering follows classification: two sources classified into the same signal."""

import json

import pytest

from apps.clusters.models import Cluster
from apps.sources.models import Source
from apps.sources.pipeline.inline import run_until_final
from tests.clusters.support import members_of
from tests.factories import CategoryFactory, SourceFactory, SourceTypeFactory
from tests.support.llm_answers import HARBOUR_RECORD
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm(settings):
    CategoryFactory(name="technology")
    SourceTypeFactory(name="news")
    with OpenAIServer() as server:
        settings.SPYGLASS_CLASSIFIER = "llm"
        settings.SPYGLASS_LLM = {
            **settings.SPYGLASS_LLM,
            "base_url": server.base_url,
            "model": "test-model",
            "output": "json_schema",
            "timeout": 2.0,
        }
        yield server


def classified(server, title: str) -> Source:
    server.answer(json.dumps({**HARBOUR_RECORD, "themes": []}))
    source = SourceFactory(
        status=Source.Status.QUEUED,
        stage=Source.Stage.CLASSIFY,
        extracted_text="Harbour towns store tidal energy in community batteries.",
        title=title,
    )
    return run_until_final(source.pk)


def test_the_signals_of_two_classified_sources_form_a_cluster(
    llm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = classified(llm, "Tidal batteries in the north")
        second = classified(llm, "Harbour towns share storage")

    assert first.status == second.status == Source.Status.DONE
    cluster = Cluster.objects.get()
    signals = {s.pk for s in first.signals.all()} | {s.pk for s in second.signals.all()}
    assert members_of(cluster) == signals
    assert cluster.source_count == 2
