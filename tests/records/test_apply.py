"""What a classifier gives beyond the Markdown record: each finding's own themes and its
confidence, stored through the pipeline's path (result -> record -> apply)."""

import pytest

from apps.classification import normalise
from apps.core.models import Origin
from apps.knowledge import findings as services
from apps.knowledge.models import Signal, Theme
from apps.records.apply import record_apply
from apps.records.parser import parse_record
from apps.records.writer import render_record
from apps.sources.pipeline.classify import record_of
from tests.accounts.factories import UserFactory
from tests.factories import SourceFactory, ThemeFactory


def signal(name, *, themes=(), confidence=0.5, relevancy=3):
    return {
        "name": name,
        "description": "It spreads.",
        "relevancy": relevancy,
        "themes": list(themes),
        "confidence": confidence,
    }


def result(*signals, **fields):
    raw = {"summary": "A page.", "category": "", "type": "", "signals": list(signals), **fields}
    return normalise(raw)


def classify(source, *signals, **fields):
    record_apply(source, record_of(source, result(*signals, **fields)), origin=Origin.AI)
    return {s.name: s for s in Signal.objects.filter(source=source).prefetch_related("themes")}


def own(finding) -> list[str]:
    return [link.theme.name for link in finding.theme_links.order_by("position")]


@pytest.fixture
def themes(db):
    return {name: ThemeFactory(name=name) for name in ("energy", "mobility", "housing")}


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", role="editor")


def test_each_finding_stores_its_confidence_and_its_own_approved_themes(themes):
    ThemeFactory(name="pending", status=Theme.Status.PROPOSED)
    source = SourceFactory()

    stored = classify(
        source,
        signal("Tidal storage", themes=["Energy", "pending", "unheard of"], confidence=0.9),
        signal("Car sharing", themes=["mobility"], confidence=0.2),
        category_confidence=0.7,
        theme_confidence={"energy": 0.8},
    )

    assert stored["Tidal storage"].confidence == 0.9
    assert own(stored["Tidal storage"]) == ["energy"]  # proposals and unknowns wait
    assert own(stored["Car sharing"]) == ["mobility"]
    assert {link.origin for link in stored["Car sharing"].theme_links.all()} == {Origin.AI}
    source.refresh_from_db()
    assert source.machine_values["category_confidence"] == 0.7
    assert source.machine_values["theme_confidence"] == {"energy": 0.8}


def test_reclassifying_follows_the_machine_but_keeps_editors_links_and_removals(themes, alice):
    source = SourceFactory()
    stored = classify(source, signal("Tidal storage", themes=["energy", "mobility"]))
    finding = stored["Tidal storage"]
    services.theme_link_remove(item=finding, theme=themes["energy"], user=alice)
    services.theme_link_add(item=finding, name="housing", user=alice)

    stored = classify(
        source, signal("Tidal storage", themes=["energy", "mobility"], confidence=0.8)
    )
    assert sorted(own(stored["Tidal storage"])) == ["housing", "mobility"]
    assert stored["Tidal storage"].confidence == 0.8

    stored = classify(source, signal("Tidal storage", themes=[]))
    assert own(stored["Tidal storage"]) == ["housing"]  # the editor's link stays

    # Adding the theme back by hand forgets the removal.
    services.theme_link_add(item=stored["Tidal storage"], name="energy", user=alice)
    stored = classify(source, signal("Tidal storage", themes=["energy"]))
    assert sorted(own(stored["Tidal storage"])) == ["energy", "housing"]


def test_an_accepted_finding_outlives_a_classifier_that_no_longer_finds_it(themes, alice):
    source = SourceFactory()
    stored = classify(source, signal("Tidal storage"), signal("Car sharing"))
    accepted = stored["Car sharing"]
    services.finding_accept(finding=accepted, user=alice, expected_version=accepted.version)

    stored = classify(source, signal("Tidal storage"))
    assert sorted(stored) == ["Car sharing", "Tidal storage"]

    # Found again with other words: the accepted values stand, the machine's wait beside them.
    changed = {**signal("Car sharing", relevancy=5), "description": "Another reading."}
    stored = classify(source, changed)
    kept = stored["Car sharing"]
    assert (kept.description, kept.relevancy) == ("It spreads.", 3)
    assert kept.machine_values["description"] == "Another reading."


def test_an_import_keeps_the_classifiers_finding_themes_and_confidence(themes):
    source = SourceFactory()
    classify(source, signal("Tidal storage", themes=["energy"], confidence=0.3))
    text = render_record(record_of(source, result(signal("Tidal storage"))))

    record_apply(source, parse_record(text), origin=Origin.IMPORT)

    finding = Signal.objects.get(source=source)
    assert own(finding) == ["energy"]
    assert finding.confidence == 0.3
    assert "confidence" not in text and "energy" not in text
