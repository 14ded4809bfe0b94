"""`manage.py clusters update|rebuild`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.clusters.models import Cluster
from tests.clusters.support import make_signals, paraphrases
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.django_db

HEAT = [row for row in paraphrases() if row["group"] == "heat-pumps-outsell"]


def run(*args) -> str:
    out = StringIO()
    call_command("clusters", *args, stdout=out)
    return out.getvalue()


def test_update_then_rebuild_say_what_they_did():
    make_signals(HEAT)

    first = run("update")
    again = run("update")
    rebuilt = run("rebuild")

    assert "Method wordllama, threshold 0.55." in first
    assert "joined 2, paired 1, alone 0, kept 1, signals 4, clusters 1." in first
    assert "signals 0, clusters 1." in again  # nothing new: nothing embedded or placed
    assert "released 4" in rebuilt and "signals 4" in rebuilt
    assert Cluster.objects.count() == 1


def test_a_provider_that_fails_is_a_clear_error(settings):
    make_signals(HEAT[:1])
    with OpenAIServer() as server:
        server.route("POST", "/v1/embeddings", {"error": {"message": "no such model"}}, status=404)
        settings.SPYGLASS_EMBEDDINGS = {
            **settings.SPYGLASS_EMBEDDINGS,
            "model": "missing",
            "base_url": server.base_url,
        }
        with pytest.raises(CommandError, match="answered HTTP 404"):
            run("update")
