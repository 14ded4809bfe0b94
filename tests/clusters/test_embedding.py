"""Vectors from an LLM provider's /v1/embeddings (the fake server of tests/support)."""

import hashlib

import pytest

from apps.clusters.embedding import EmbeddingError, current_method, threshold
from apps.clusters.models import Cluster, SignalVector
from apps.clusters.services import clusters_rebuild, signals_place
from tests.clusters.support import make_signals
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.django_db

SAME = {"group": "g", "name": "Phones text by satellite", "description": "No towers needed."}


def bag_of_words(texts: list[str]) -> list[list[float]]:
    """A stand-in model: words hashed into 32 buckets."""
    vectors = []
    for text in texts:
        vector = [0.0] * 32
        for word in text.lower().split():
            vector[hashlib.md5(word.encode()).digest()[0] % 32] += 1.0
        vectors.append(vector)
    return vectors


@pytest.fixture
def server():
    with OpenAIServer() as server:
        server.embedder = bag_of_words
        yield server


@pytest.fixture
def llm_embeddings(settings, server):
    settings.SPYGLASS_EMBEDDINGS = {
        "model": "embed-test",
        "base_url": server.base_url,
        "api_key": "secret-key",
        "timeout": 5.0,
        "threshold": None,
    }
    return server


def test_the_method_and_threshold_follow_the_settings(llm_embeddings, settings):
    assert (current_method(), threshold()) == ("llm:embed-test", 0.8)
    settings.SPYGLASS_EMBEDDINGS = {**settings.SPYGLASS_EMBEDDINGS, "model": ""}
    assert (current_method(), threshold()) == ("wordllama", 0.55)


def test_signals_are_embedded_by_the_provider_and_clustered(llm_embeddings):
    ids = sorted(make_signals([{**SAME, "source": "a"}, {**SAME, "source": "b"}]))

    for pk in ids:
        signals_place(signal_ids=[pk])

    cluster = Cluster.objects.get()
    assert cluster.method == "llm:embed-test"
    assert set(SignalVector.objects.values_list("method", flat=True)) == {"llm:embed-test"}
    request = llm_embeddings.other_requests[0]
    assert request.path == "/v1/embeddings"
    assert request.json["model"] == "embed-test"
    assert request.headers["authorization"] == "Bearer secret-key"


def test_changing_the_method_re_embeds_on_rebuild(llm_embeddings, settings):
    ids = sorted(make_signals([{**SAME, "source": "a"}, {**SAME, "source": "b"}]))
    settings.SPYGLASS_EMBEDDINGS = {**settings.SPYGLASS_EMBEDDINGS, "model": ""}
    for pk in ids:
        signals_place(signal_ids=[pk])
    assert Cluster.objects.get().method == "wordllama"
    settings.SPYGLASS_EMBEDDINGS = {**settings.SPYGLASS_EMBEDDINGS, "model": "embed-test"}

    clusters_rebuild()

    assert set(SignalVector.objects.values_list("method", flat=True)) == {"llm:embed-test"}
    assert Cluster.objects.get().method == "llm:embed-test"


@pytest.mark.parametrize(
    ("status", "body", "transient", "message"),
    [
        (503, {"error": {"message": "loading"}}, True, "answered HTTP 503"),
        (400, {"error": {"message": "no such model"}}, False, "answered HTTP 400"),
        (200, {"data": "nothing"}, False, "gave no embeddings list"),
    ],
)
def test_a_failing_provider_says_why_and_nothing_is_written(
    llm_embeddings, status, body, transient, message
):
    llm_embeddings.route("POST", "/v1/embeddings", body, status=status)
    ids = sorted(make_signals([{**SAME, "source": "a"}]))

    with pytest.raises(EmbeddingError, match=message) as raised:
        signals_place(signal_ids=ids)

    assert raised.value.transient is transient
    assert not SignalVector.objects.exists()


def test_a_provider_that_does_not_answer_is_a_transient_error(llm_embeddings, settings):
    llm_embeddings.stop()
    ids = sorted(make_signals([{**SAME, "source": "a"}]))

    with pytest.raises(EmbeddingError, match="did not answer") as raised:
        signals_place(signal_ids=ids)

    assert raised.value.transient
