"""The `local` classifier through the real pipeline: what the run says about each finding
(its confidence, its own themes) is what the finding rows store."""

from apps.core.models import Origin
from apps.knowledge.models import FINDING_MODELS
from apps.sources.models import ClassificationRun, Source
from apps.sources.pipeline.inline import run_until_final
from tests.factories import CategoryFactory, SourceFactory, SourceTypeFactory, ThemeFactory

TEXT = (
    "Tidal batteries reach small harbour towns. Three harbour towns now store the energy of "
    "the tides in community batteries, and the share of renewable energy in their grids rose "
    "from 20 percent to 60 percent in two years.\n\n"
    "Cooperatives of fishermen are replacing the regional utility as the owner of storage. "
    "By 2030 most harbour towns are expected to own their batteries, driven by cheaper "
    "lithium cells and rising power prices.\n\n"
    "Critics warn that salt water corrosion raises maintenance costs and could strand the "
    "investment of small cooperatives."
)


def test_the_local_classifier_stores_each_findings_confidence_and_own_themes(settings, db):
    settings.SPYGLASS_CLASSIFIER = "local"
    CategoryFactory(name="technology")
    SourceTypeFactory(name="news")
    for name in ("energy", "cooperatives", "climate"):
        ThemeFactory(name=name)
    source = SourceFactory(
        status=Source.Status.QUEUED,
        stage=Source.Stage.CLASSIFY,
        extracted_text=TEXT,
        title="Tidal batteries reach small harbour towns",
        summary="",
        category=None,
        source_type=None,
    )

    source = run_until_final(source.pk)

    assert source.status == Source.Status.DONE
    [run] = ClassificationRun.objects.filter(source=source)
    assert 0 <= run.result["category_confidence"] <= 1
    assert source.machine_values["category_confidence"] == run.result["category_confidence"]
    stored = 0
    for kind, model in FINDING_MODELS.items():
        given = {row["name"]: row for row in run.result[kind]}
        for finding in model.objects.filter(source=source).prefetch_related("theme_links__theme"):
            row = given[finding.name]
            assert finding.origin == Origin.AI
            assert finding.confidence == row["confidence"]
            approved = [name.casefold() for name in row["themes"]]
            for link in finding.theme_links.all():
                assert link.origin == Origin.AI and link.theme.name.casefold() in approved
            stored += 1
    assert stored == sum(len(run.result[kind]) for kind in FINDING_MODELS)
    assert stored, "the page should give the classifier something to find"
