"""A source holds one finding of a kind per name: a second one is refused, naming the field."""

import pytest
from django.core.exceptions import ValidationError

from apps.knowledge.findings import finding_create, finding_update
from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_adding_a_signal_with_a_name_the_source_has_is_refused(editor):
    source = SourceFactory()
    SignalFactory(source=source, name="Tidal batteries")

    with pytest.raises(ValidationError) as error:
        finding_create(
            kind="signals", source=source, values={"name": "tidal batteries"}, user=editor
        )

    assert "already has a signal named “tidal batteries”" in error.value.message_dict["name"][0]
    assert source.signals.count() == 1


def test_the_same_name_on_another_source_or_kind_is_fine(editor):
    SignalFactory(name="Tidal batteries")
    source = SourceFactory()

    finding_create(kind="signals", source=source, values={"name": "Tidal batteries"}, user=editor)
    finding_create(kind="issues", source=source, values={"name": "Tidal batteries"}, user=editor)

    assert source.signals.count() == 1 and source.issues.count() == 1


def test_renaming_onto_a_sibling_is_refused_but_a_case_change_is_not(editor):
    source = SourceFactory()
    SignalFactory(source=source, name="Tidal batteries")
    signal = SignalFactory(source=source, name="Harbour grids")

    with pytest.raises(ValidationError, match="already has a signal"):
        finding_update(
            finding=signal, values={"name": "Tidal Batteries"}, expected_version=1, user=editor
        )
    finding_update(
        finding=signal, values={"name": "harbour grids"}, expected_version=1, user=editor
    )

    signal.refresh_from_db()
    assert signal.name == "harbour grids"
