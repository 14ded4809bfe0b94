"""`manage.py reclassify`: which sources it queues, what it says, the per-run classifier."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.sources.models import ClassificationRun, Source
from apps.sources.pipeline.inline import run_until_final
from tests.factories import CategoryFactory, SourceFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Three harbour towns store the energy of the tides in community batteries. A cooperative "
    "of fishermen paid for them; members buy shares and get cheaper power. Critics point to "
    "the cost of maintenance in salt water. Five more towns plan cooperatives of their own."
)


def source(**values) -> Source:
    return SourceFactory(**{"extracted_text": TEXT, **values})


def run(*args) -> str:
    out = StringIO()
    call_command("reclassify", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def queued(*sources) -> set[int]:
    return {
        s.pk
        for s in Source.objects.filter(
            pk__in=[s.pk for s in sources], status=Source.Status.QUEUED, stage=Source.Stage.CLASSIFY
        )
    }


def test_by_id_queues_and_says_how_many():
    a, b, other = source(), source(), source()

    out = run(a.pk, b.pk)

    assert out == "Queued 2 sources (the default classifier).\n"
    assert queued(a, b, other) == {a.pk, b.pk}


def test_failed_picks_sources_that_failed_in_the_classify_stage():
    failed = source(status=Source.Status.FAILED, stage=Source.Stage.CLASSIFY)
    fetch_failed = source(status=Source.Status.FAILED, stage=Source.Stage.FETCH)
    done = source()

    assert run("--failed") == "Queued 1 source (the default classifier).\n"
    assert queued(failed, fetch_failed, done) == {failed.pk}


def test_theme_and_category_select_alone_or_narrow():
    energy = ThemeFactory(name="energy")
    tagged, untagged = source(), source()
    SourceThemeFactory(source=tagged, theme=energy)
    science = CategoryFactory(name="science")
    in_science = source(category=science)

    run("--theme", "energy")
    assert queued(tagged, untagged, in_science) == {tagged.pk}

    run("--category", "Science")
    assert queued(untagged, in_science) == {in_science.pk}

    with pytest.raises(CommandError, match="No source matches"):
        run(untagged.pk, "--theme", "energy")


def test_all_queues_every_final_source_and_lists_the_skipped():
    done = source()
    running = source(status=Source.Status.FETCHING, stage=Source.Stage.FETCH)
    no_text = source(extracted_text="")

    out = run("--all")

    assert out.splitlines() == [
        "Queued 1 source (the default classifier).",
        f"Skipped #{running.pk}: not final (fetching).",
        f"Skipped #{no_text.pk}: no text.",
    ]
    assert queued(done, running, no_text) == {done.pk}


def test_nothing_chosen_or_nothing_queued_exits_non_zero():
    with pytest.raises(CommandError, match="Choose sources"):
        run()
    with pytest.raises(CommandError, match="No source matches"):
        run("--failed")
    with pytest.raises(CommandError, match="No source matches"):
        run(999)
    with pytest.raises(CommandError, match="There is no theme"):
        run("--theme", "nowhere")
    with pytest.raises(CommandError, match="There is no category"):
        run("--category", "nowhere")
    empty = source(extracted_text="")
    with pytest.raises(CommandError, match="Nothing was queued"):
        run(empty.pk)


def test_an_unknown_classifier_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run(source().pk, "--classifier", "gpt")


def test_the_classifier_override_is_stored_for_the_run_and_cleared_after(settings):
    settings.SPYGLASS_CLASSIFIER = "llm"  # unconfigured: would fail if it were used
    chosen = source()

    assert run(chosen.pk, "--classifier", "local") == "Queued 1 source (local).\n"
    chosen.refresh_from_db()
    assert chosen.next_classifier == "local"

    chosen = run_until_final(chosen.pk)

    assert chosen.status == Source.Status.DONE
    assert chosen.next_classifier == ""
    assert ClassificationRun.objects.get(source=chosen).classifier == "local"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("reader", 403), ("analyst", 403), ("editor", 302)])
def test_only_editors_reclassify_from_the_source_page(client, role, status):
    from apps.sources.models import Source as SourceModel
    from tests.accounts.factories import UserFactory
    from tests.factories import SourceFactory

    source = SourceFactory(status=SourceModel.Status.DONE, extracted_text="Some text. " * 40)
    client.force_login(UserFactory(role=role))

    response = client.post(f"/sources/{source.pk}/reclassify/", {"classifier": "local"})

    assert response.status_code == status
    source.refresh_from_db()
    expected = SourceModel.Status.QUEUED if status == 302 else SourceModel.Status.DONE
    assert source.status == expected
    assert source.next_classifier == ("local" if status == 302 else "")


@pytest.mark.django_db
def test_an_unknown_classifier_is_refused_with_a_reason(client):
    from tests.accounts.factories import UserFactory
    from tests.factories import SourceFactory

    source = SourceFactory(status="done", extracted_text="Some text. " * 40)
    client.force_login(UserFactory(role="editor"))

    response = client.post(f"/sources/{source.pk}/reclassify/", {"classifier": "gpt"})

    assert response.status_code == 400
    assert b"unknown classifier" in response.content


def test_the_run_records_the_editor_who_asked_and_the_next_run_does_not():
    from apps.sources.services import source_reclassify
    from tests.accounts.factories import UserFactory

    erin = UserFactory(username="erin", role="editor")
    chosen = source()

    assert source_reclassify(chosen, user=erin, classifier="local")
    chosen = run_until_final(chosen.pk)

    assert ClassificationRun.objects.get(source=chosen).requested_by == erin
    assert chosen.classify_requested_by is None

    assert source_reclassify(chosen, user=None)  # `manage.py reclassify`: nobody asked
    chosen = run_until_final(chosen.pk)
    assert [run.requested_by for run in chosen.classification_runs.all()] == [None, erin]


def test_any_other_requeue_forgets_who_asked_for_a_classification():
    from apps.sources.services import source_retry
    from tests.accounts.factories import UserFactory

    chosen = source(status=Source.Status.FAILED, classify_requested_by=UserFactory())
    assert source_retry(chosen, user=None)
    chosen.refresh_from_db()
    assert chosen.classify_requested_by is None
