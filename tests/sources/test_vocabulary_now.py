import pytest

from apps.knowledge.models import Theme
from apps.sources.pipeline.classify import vocabulary_now

pytestmark = pytest.mark.django_db


def test_the_vocabulary_carries_the_pending_proposals_apart_from_the_approved_themes():
    Theme.objects.create(name="energy", slug="energy")
    Theme.objects.create(name="vertical farming", slug="vertical-farming", status="proposed")
    Theme.objects.create(name="crypto hype", slug="crypto-hype", status="rejected")

    vocabulary = vocabulary_now()

    assert [name for name, _ in vocabulary.themes] == ["energy"]
    assert vocabulary.proposed == ("vertical farming",)
