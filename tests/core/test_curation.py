import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from apps.core.audit import history_for
from apps.core.curation import StaleVersion, apply_machine_values, editor_update
from apps.core.models import Origin
from apps.knowledge.models import Signal
from apps.sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal():
    source = Source.objects.create(url="https://e.org/a", canonical_url="https://e.org/a")
    return Signal.objects.create(source=source, name="Heat pumps", relevancy=3)


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice")


@pytest.fixture
def bob():
    return get_user_model().objects.create_user("bob")


def test_an_editor_change_is_kept_audited_and_versioned(signal, alice):
    updated = editor_update(signal, user=alice, values={"relevancy": 5}, expected_version=1)

    assert (updated.relevancy, updated.version) == (5, 2)
    assert updated.provenance("relevancy") | {"set_at": None} == {
        "value": 5, "machine_value": None, "origin": Origin.EDITOR, "set_by": "alice",
        "set_at": None,
    }  # fmt: skip
    [entry] = history_for(signal)
    assert (entry.actor, entry.field, entry.old, entry.new) == (alice, "relevancy", 3, 5)


def test_an_edit_based_on_a_stale_version_is_refused(signal, alice, bob):
    editor_update(signal, user=alice, values={"relevancy": 4}, expected_version=1)

    with pytest.raises(StaleVersion) as caught:
        editor_update(signal, user=bob, values={"relevancy": 1}, expected_version=1)

    assert caught.value.current.relevancy == 4
    assert "last changed by alice" in str(caught.value)
    signal.refresh_from_db()
    assert signal.relevancy == 4


def test_an_editor_cannot_set_an_uneditable_field(signal, alice):
    with pytest.raises(ValueError, match="Not editable: source"):
        editor_update(signal, user=alice, values={"source": None}, expected_version=1)


@pytest.mark.parametrize("values", [{"name": ""}, {"relevancy": 9}])
def test_an_invalid_value_from_an_editor_is_refused_and_nothing_changes(signal, alice, values):
    with pytest.raises(ValidationError):
        editor_update(signal, user=alice, values=values, expected_version=1)

    signal.refresh_from_db()
    assert (signal.name, signal.relevancy, signal.version) == ("Heat pumps", 3, 1)


def test_a_machine_never_overwrites_a_curated_value(signal, alice):
    signal = editor_update(signal, user=alice, values={"relevancy": 5}, expected_version=1)

    changes = apply_machine_values(signal, {"relevancy": 2, "name": "Heat pumps"}, origin="ai")

    assert changes == {}
    assert signal.relevancy == 5
    assert signal.machine_values["relevancy"] == 2
