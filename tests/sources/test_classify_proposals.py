"""The local classifier through the pipeline: a page no approved theme fits leaves a proposal
in the editors' queue, and later pages on the same subject join it rather than adding more."""

import pytest

from apps.knowledge.models import Theme, ThemeSuggestion
from apps.sources.models import Source
from apps.sources.pipeline.inline import run_until_final
from tests.classification.topics_support import mini_pages
from tests.factories import SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def queued(page, number: int) -> Source:
    return SourceFactory(
        url=f"https://example.org/farms/{number}",
        status=Source.Status.QUEUED,
        stage=Source.Stage.CLASSIFY,
        extracted_text=page.text,
        title=page.title,
        summary="",
        category=None,
        source_type=None,
    )


def test_pages_on_one_subject_fill_the_queue_once(settings):
    settings.SPYGLASS_CLASSIFIER = "local"
    ThemeFactory(name="elections")
    pages = [page for topic, page in mini_pages(60) if topic == "vertical farming"]

    sources = [run_until_final(queued(page, n).pk) for n, page in enumerate(pages)]

    assert all(source.status == Source.Status.DONE for source in sources)
    proposed = Theme.objects.filter(status=Theme.Status.PROPOSED)
    assert 1 <= proposed.count() <= 3
    # Every page suggested a proposal; none of them was linked before an editor decides.
    assert {s.source_id for s in ThemeSuggestion.objects.all()} == {s.pk for s in sources}
    assert not any(source.themes.exists() for source in sources)
