import pytest
from django.core.exceptions import ValidationError

from apps.core.audit import history_for
from apps.core.curation import StaleVersion, apply_machine_values
from apps.core.models import AuditEntry, Origin
from apps.knowledge.autocomplete import theme_choices
from apps.knowledge.findings import (
    RELEVANCY_ERROR,
    ThemeError,
    finding_create,
    finding_delete,
    finding_update,
    theme_link_add,
    theme_link_remove,
)
from apps.knowledge.models import FINDING_MODELS, Signal, Theme
from apps.sources.models import SourceTheme
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    TechnologyFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "signals": SignalFactory,
    "behaviors": BehaviorFactory,
    "technologies": TechnologyFactory,
    "issues": IssueFactory,
}


@pytest.fixture
def alice():
    return UserFactory(username="alice", role="editor")


def entries(target) -> list[tuple]:
    return [(e.action, e.field, e.old, e.new, e.actor.username) for e in history_for(target)]


def edited_values(kind: str) -> dict:
    return {field: f"new {field}" for field in FINDING_MODELS[kind].EDITABLE_FIELDS} | {
        "relevancy": 5
    }


# --- Create --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_an_editor_adds_a_finding_of_each_kind_at_the_end(kind, alice):
    source = SourceFactory()
    FACTORIES[kind](source=source, position=7)

    finding = finding_create(kind=kind, source=source, values=edited_values(kind), user=alice)

    assert isinstance(finding, FINDING_MODELS[kind])
    assert (finding.position, finding.origin, finding.version) == (8, Origin.EDITOR, 1)
    for field, value in edited_values(kind).items():
        assert getattr(finding, field) == value
        assert finding.provenance(field)["set_by"] == "alice"
    assert ("create", "relevancy", None, 5, "alice") in entries(finding)
    assert entries(source) == [("create", kind, None, "new name", "alice")]


def test_a_new_finding_needs_a_name_and_may_leave_the_rest_empty(alice):
    source = SourceFactory()
    with pytest.raises(ValidationError) as caught:
        finding_create(kind="issues", source=source, values={"name": "  "}, user=alice)
    assert caught.value.message_dict == {"name": ["A name is required."]}

    finding = finding_create(kind="issues", source=source, values={"name": "Fog"}, user=alice)
    assert (finding.name, finding.description, finding.relevancy) == ("Fog", "", None)


def test_an_unknown_kind_is_refused_naming_the_field(alice):
    with pytest.raises(ValidationError) as caught:
        finding_create(kind="rumours", source=SourceFactory(), values={"name": "x"}, user=alice)
    assert "kind" in caught.value.message_dict


def test_a_field_of_another_kind_is_refused_and_nothing_is_written(alice):
    source = SourceFactory()
    with pytest.raises(ValidationError) as caught:
        finding_create(
            kind="issues", source=source, values={"name": "x", "change": "y"}, user=alice
        )
    assert list(caught.value.message_dict) == ["change"]
    assert not source.issues.exists()
    assert not AuditEntry.objects.exists()


# --- Update --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_every_editable_field_of_each_kind_is_updated_and_audited(kind, alice):
    finding = FACTORIES[kind](relevancy=2)
    values = edited_values(kind)

    updated = finding_update(finding=finding, values=values, expected_version=1, user=alice)

    updated.refresh_from_db()
    assert updated.version == 2
    for field, value in values.items():
        assert getattr(updated, field) == value
        assert updated.is_curated(field)
    assert {entry[1] for entry in entries(finding)} == set(values)
    assert ("update", "relevancy", 2, 5, "alice") in entries(finding)


@pytest.mark.parametrize("value", ["1", 5, "", None, " 3 "])
def test_relevancy_takes_1_to_5_or_empty(value, alice):
    finding = SignalFactory(relevancy=4)
    finding_update(finding=finding, values={"relevancy": value}, expected_version=1, user=alice)
    finding.refresh_from_db()
    expected = int(value) if value not in ("", None) else None
    assert finding.relevancy == expected


@pytest.mark.parametrize("value", [0, 6, "9", "four", 2.5, True, "3.0", [3]])
def test_a_bad_relevancy_is_refused_naming_the_field(value, alice):
    finding = SignalFactory(relevancy=4)
    with pytest.raises(ValidationError) as caught:
        finding_update(finding=finding, values={"relevancy": value}, expected_version=1, user=alice)
    assert caught.value.message_dict == {"relevancy": [RELEVANCY_ERROR]}
    finding.refresh_from_db()
    assert (finding.relevancy, finding.version) == (4, 1)


def test_every_bad_field_is_named_at_once_and_nothing_changes(alice):
    finding = SignalFactory(name="Heat pumps")
    values = {"name": "x" * 301, "relevancy": 7, "description": "fine", "source": 3}
    with pytest.raises(ValidationError) as caught:
        finding_update(finding=finding, values=values, expected_version=1, user=alice)
    assert set(caught.value.message_dict) == {"name", "relevancy", "source"}
    assert "at most 300" in caught.value.message_dict["name"][0]
    finding.refresh_from_db()
    assert (finding.name, finding.description) == ("Heat pumps", "Why it matters.")
    assert finding.version == 1


def test_a_stale_version_is_refused_with_the_current_row(alice, bob):
    finding = SignalFactory(relevancy=3)
    finding_update(finding=finding, values={"relevancy": 4}, expected_version=1, user=alice)

    with pytest.raises(StaleVersion) as caught:
        finding_update(finding=finding, values={"relevancy": 1}, expected_version=1, user=bob)

    assert caught.value.current.relevancy == 4
    assert caught.value.current.updated_by == alice
    finding.refresh_from_db()
    assert finding.relevancy == 4


def test_a_stale_form_with_nothing_changed_is_still_a_conflict(alice, bob):
    finding = SignalFactory(relevancy=3)
    finding_update(finding=finding, values={"relevancy": 4}, expected_version=1, user=alice)
    finding.refresh_from_db()

    with pytest.raises(StaleVersion):
        finding_update(finding=finding, values={"relevancy": 4}, expected_version=1, user=bob)


def test_only_changed_fields_become_curated_so_the_machine_refreshes_the_rest(alice):
    finding = SignalFactory(name="Heat pumps", description="old", relevancy=2)
    values = {"name": "Heat pumps", "description": "old", "relevancy": 5}
    finding = finding_update(finding=finding, values=values, expected_version=1, user=alice)

    assert list(finding.curated) == ["relevancy"]
    changes = apply_machine_values(finding, {"description": "newer", "relevancy": 1}, origin="ai")
    assert changes == {"description": ("old", "newer")}
    assert [entry[1] for entry in entries(finding)] == ["relevancy"]


def test_saving_an_unchanged_form_writes_nothing(alice):
    finding = SignalFactory(name="Heat pumps")
    finding_update(finding=finding, values={"name": "Heat pumps"}, expected_version=1, user=alice)
    finding.refresh_from_db()
    assert finding.version == 1
    assert entries(finding) == []


# --- Delete --------------------------------------------------------------------------


def test_a_deleted_finding_leaves_its_values_in_the_audit(alice):
    finding = SignalFactory(name="Heat pumps", relevancy=4)
    SignalThemeFactory(signal=finding, theme=ThemeFactory(name="energy"))
    source, pk = finding.source, finding.pk

    finding_delete(finding=finding, user=alice, expected_version=1)

    assert not Signal.objects.filter(pk=pk).exists()
    [entry] = AuditEntry.objects.filter(action="delete", target_id=pk, field="")
    assert entry.actor == alice
    assert entry.old["name"] == "Heat pumps"
    assert entry.old["relevancy"] == 4
    assert entry.old["change"] == "From this to that."
    assert entry.old["themes"] == ["energy"]
    assert entry.old["source"] == source.pk
    assert entries(source) == [("delete", "signals", "Heat pumps", None, "alice")]


def test_a_delete_based_on_a_stale_version_is_refused(alice, bob):
    finding = SignalFactory(relevancy=3)
    finding_update(finding=finding, values={"relevancy": 4}, expected_version=1, user=alice)

    with pytest.raises(StaleVersion):
        finding_delete(finding=finding, user=bob, expected_version=1)
    assert Signal.objects.filter(pk=finding.pk).exists()


def test_deleting_twice_is_harmless(alice):
    finding = IssueFactory()
    finding_delete(finding=finding, user=alice)
    finding_delete(finding=finding, user=alice)
    assert AuditEntry.objects.filter(action="delete", field="").count() == 1


# --- Theme links ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, *FINDING_MODELS])
def test_an_editor_adds_and_removes_a_theme_on_a_source_or_any_finding(kind, alice):
    item = SourceFactory() if kind is None else FACTORIES[kind]()
    energy = ThemeFactory(name="energy")

    assert theme_link_add(item=item, name="Energy", user=alice) == energy

    [link] = item.theme_links.all()
    assert (link.theme, link.origin, link.added_by) == (energy, Origin.EDITOR, alice)
    theme_link_remove(item=item, theme=energy, user=alice)
    assert not item.theme_links.exists()
    assert entries(item) == [
        ("update", "themes", "energy", None, "alice"),
        ("update", "themes", None, "energy", "alice"),
    ]


def test_an_alias_a_plural_and_a_merged_name_lead_to_the_approved_theme(alice):
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="AI")
    ThemeFactory(name="machine learning", status=Theme.Status.MERGED, merged_into=ai)
    city = ThemeFactory(name="city")

    assert theme_link_add(item=SourceFactory(), name="ai", user=alice) == ai
    assert theme_link_add(item=SourceFactory(), name="Machine-Learning", user=alice) == ai
    assert theme_link_add(item=SourceFactory(), name="Cities", user=alice) == city


@pytest.mark.parametrize("status", [Theme.Status.PROPOSED, Theme.Status.REJECTED, None], ids=str)
def test_only_approved_themes_are_linked(status, alice):
    if status:
        ThemeFactory(name="vibes", status=status)
    source = SourceFactory()

    with pytest.raises(ThemeError, match="“vibes” is not an approved theme or alias"):
        theme_link_add(item=source, name="vibes", user=alice)
    assert not source.theme_links.exists()
    assert Theme.objects.filter(slug="vibes").count() == (1 if status else 0)


def test_an_empty_or_repeated_theme_is_refused(alice):
    source = SourceFactory()
    ThemeFactory(name="energy")
    with pytest.raises(ThemeError, match="Type the name"):
        theme_link_add(item=source, name="  ", user=alice)
    theme_link_add(item=source, name="energy", user=alice)
    with pytest.raises(ThemeError, match="already carries “energy”"):
        theme_link_add(item=source, name="ENERGY", user=alice)
    assert SourceTheme.objects.filter(source=source).count() == 1


def test_removing_a_theme_the_item_lacks_is_refused(alice):
    with pytest.raises(ThemeError, match="does not carry"):
        theme_link_remove(item=SignalFactory(), theme=ThemeFactory(), user=alice)
    assert not AuditEntry.objects.exists()


def test_new_links_go_after_the_existing_ones(alice):
    source = SourceFactory()
    SourceTheme.objects.create(source=source, theme=ThemeFactory(), position=4)
    theme_link_add(item=source, name=ThemeFactory(name="energy").name, user=alice)
    assert source.theme_links.get(theme__name="energy").position == 5


# --- Autocomplete --------------------------------------------------------------------


def test_autocomplete_offers_approved_themes_and_aliases_leading_to_them():
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="artificial minds")
    ThemeFactory(name="art")
    ThemeFactory(name="artisanal", status=Theme.Status.PROPOSED)
    ThemeFactory(name="street art")

    choices = theme_choices("art")

    assert [c.label for c in choices] == [
        "art",
        "artificial intelligence",
        "artificial minds → artificial intelligence",
        "street art",
    ]
    assert all(c.theme.status == Theme.Status.APPROVED for c in choices)


def test_autocomplete_is_limited():
    for n in range(15):
        ThemeFactory(name=f"energy {n:02}")
    assert len(theme_choices("energy")) == 10
    assert len(theme_choices("", limit=3)) == 3


# --- What a classifier re-run does with editors' removals ----------------------------


def rerun(source, *, origin=Origin.AI, themes=(), signals=()):
    from apps.records.apply import record_apply
    from apps.records.format import FindingRow, Record

    record = Record(
        title="t",
        url=source.url,
        themes=list(themes),
        signals=[FindingRow(name=name, relevancy=3) for name in signals],
    )
    source.refresh_from_db()
    record_apply(source, record, origin=origin)


def test_a_rerun_does_not_bring_back_what_an_editor_removed(alice):
    source = SourceFactory()
    ThemeFactory(name="energy"), ThemeFactory(name="water")
    rerun(source, themes=["energy", "water"], signals=["Heat pumps", "Fog"])
    assert sorted(source.themes.values_list("name", flat=True)) == ["energy", "water"]

    heat = source.signals.get(name="Heat pumps")
    finding_delete(finding=heat, user=alice)
    theme_link_remove(item=source, theme=Theme.objects.get(name="energy"), user=alice)
    rerun(source, themes=["energy", "water"], signals=["Heat pumps", "Fog"])

    assert list(source.themes.values_list("name", flat=True)) == ["water"]
    assert list(source.signals.values_list("name", flat=True)) == ["Fog"]


def test_adding_a_removed_theme_again_lets_the_classifier_keep_it(alice):
    source = SourceFactory()
    energy = ThemeFactory(name="energy")
    theme_link_add(item=source, name="energy", user=alice)
    theme_link_remove(item=source, theme=energy, user=alice)
    assert (
        str(energy.pk)
        in SourceFactory._meta.model.objects.get(pk=source.pk).curated["themes_removed"]
    )

    theme_link_add(item=source, name="energy", user=alice)
    source.refresh_from_db()
    assert source.curated["themes_removed"] == {}
    rerun(source, themes=["energy"])
    assert list(source.themes.all()) == [energy]


def test_an_import_trusts_its_file_and_brings_them_back(alice):
    source = SourceFactory()
    rerun(source, origin=Origin.IMPORT, themes=["energy"], signals=["Heat pumps"])
    finding_delete(finding=source.signals.get(), user=alice)
    theme_link_remove(item=source, theme=source.themes.get(), user=alice)

    rerun(source, origin=Origin.IMPORT, themes=["energy"], signals=["Heat pumps"])

    assert list(source.themes.values_list("name", flat=True)) == ["energy"]
    assert list(source.signals.values_list("name", flat=True)) == ["Heat pumps"]


def test_deleting_an_editors_own_finding_leaves_no_mark(alice):
    source = SourceFactory()
    finding = finding_create(kind="issues", source=source, values={"name": "Fog"}, user=alice)
    finding_delete(finding=finding, user=alice)
    source.refresh_from_db()
    assert "findings_removed" not in source.curated
