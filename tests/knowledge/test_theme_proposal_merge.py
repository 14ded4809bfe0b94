"""Where proposals are stored, a new one meaning the same as a pending proposal or an approved
theme joins it (apps/knowledge/themes.py `theme_suggest`), whatever classifier named it."""

import pytest

from apps.knowledge.models import Theme, ThemeSuggestion
from apps.knowledge.themes import theme_suggest
from apps.sources.models import Source

pytestmark = pytest.mark.django_db


def make_source(n: int = 1) -> Source:
    return Source.objects.create(url=f"https://e.org/{n}", canonical_url=f"https://e.org/{n}")


def test_a_proposal_meaning_the_same_as_a_pending_one_joins_it():
    first, second = make_source(1), make_source(2)
    theme_suggest("vertical farming", source=first)

    assert theme_suggest("Vertical farms", source=second) is None

    assert list(Theme.objects.values_list("name", flat=True)) == ["vertical farming"]
    suggestion = ThemeSuggestion.objects.get(source=second)
    assert suggestion.theme.name == "vertical farming"


def test_a_name_meaning_the_same_as_an_approved_theme_links_it():
    fleet = Theme.objects.create(name="electric bus fleet", slug="electric-bus-fleet")

    assert theme_suggest("electric buses", source=make_source()) == fleet
    assert Theme.objects.count() == 1


def test_unrelated_proposals_stay_apart():
    theme_suggest("vertical farming", source=make_source(1))
    theme_suggest("gig economy", source=make_source(2))

    assert Theme.objects.filter(status=Theme.Status.PROPOSED).count() == 2


def test_a_rejected_name_stays_rejected_rather_than_joining_another():
    theme_suggest("vertical farming", source=make_source(1))
    Theme.objects.create(name="vertical farms", slug="vertical-farms", status=Theme.Status.REJECTED)

    assert theme_suggest("vertical farms", source=make_source(2)) is None
    assert not ThemeSuggestion.objects.filter(source__url="https://e.org/2").exists()


def test_a_name_meaning_the_same_as_a_rejected_theme_is_not_proposed():
    rejected = Theme.Status.REJECTED
    Theme.objects.create(name="celebrity gossip", slug="celebrity-gossip", status=rejected)

    assert theme_suggest("celebrity gossip news", source=make_source()) is None

    assert Theme.objects.count() == 1
    assert not ThemeSuggestion.objects.exists()
