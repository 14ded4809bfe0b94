"""The classify stage's bridge to apps.classification: which classifier, what vocabulary,
and how a result becomes the source's record (machine values only)."""

import time
from dataclasses import dataclass

from django.conf import settings

from apps.classification import get_classifier
from apps.classification.base import Classifier, Page, Vocabulary
from apps.classification.schema import ClassificationError, ClassificationResult
from apps.knowledge.models import Category, SourceType, Theme
from apps.records.format import FindingRow, Record
from apps.sources.models import ClassificationRun, Source


def classifier_for(name: str) -> Classifier:
    """A misspelt SPYGLASS_CLASSIFIER fails loudly rather than silently running "local"."""
    try:
        return get_classifier(name)
    except ValueError as error:
        raise ClassificationError(str(error)) from None


def vocabulary_now() -> Vocabulary:
    """The approved themes (with aliases), the pending proposals, categories and types, as
    classifiers see them."""
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).prefetch_related("aliases")
    return Vocabulary(
        themes=tuple(
            (theme.name, tuple(alias.name for alias in theme.aliases.all())) for theme in themes
        ),
        categories=tuple(Category.objects.values_list("name", flat=True)),
        types=tuple(SourceType.objects.values_list("name", flat=True)),
        proposed=tuple(
            Theme.objects.filter(status=Theme.Status.PROPOSED)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    )


def page_of(source: Source) -> Page:
    return Page(
        url=source.final_url or source.url,
        title=source.title,
        text=source.extracted_text,
        site_name=source.site_name,
        published=source.published_on,
        language=source.language,
    )


@dataclass
class Classified:
    result: ClassificationResult
    run: ClassificationRun  # unsaved until the result is applied


def classify_source(source: Source) -> Classified:
    """Run the classifier chosen for this source; failed runs are stored right away."""
    name = source.next_classifier or settings.SPYGLASS_CLASSIFIER
    classifier = classifier_for(name)
    run = ClassificationRun(
        source=source, classifier=classifier.name, requested_by_id=source.classify_requested_by_id
    )
    started = time.monotonic()
    try:
        if hasattr(classifier, "classify_with_run"):
            result, details = classifier.classify_with_run(page_of(source), vocabulary_now())
            _copy_details(run, details)
        else:
            result = classifier.classify(page_of(source), vocabulary_now())
    except Exception as error:
        run.duration_ms = round((time.monotonic() - started) * 1000)
        run.outcome, run.error = ClassificationRun.Outcome.FAILED, str(error)
        _copy_details(run, getattr(error, "run", None))
        run.save()
        raise
    run.duration_ms = round((time.monotonic() - started) * 1000)
    run.outcome, run.result = ClassificationRun.Outcome.APPLIED, result.model_dump()
    return Classified(result=result, run=run)


def _copy_details(run: ClassificationRun, details) -> None:
    if details is None:
        return
    for field in ("model", "prompt_version", "attempts", "prompt_tokens", "completion_tokens"):
        value = getattr(details, field, None)
        if value is not None:
            setattr(run, field, value)
    run.output_mode = getattr(details, "output", "") or ""
    run.chunks = getattr(details, "chunks", None) or None
    run.raw_response = getattr(details, "raw_response", "") or ""
    notes = getattr(details, "notes", None)
    if notes and not run.error:
        run.error = "; ".join(notes)  # an applied run: the parts of the page left out


def record_of(source: Source, result: ClassificationResult) -> Record:
    """The result as the source's record; a category or type outside the vocabulary is
    left empty."""
    record = result_as_record(
        result,
        # A pasted text has no page title: its first line stands in until an editor edits it.
        title=source.title or _first_line(source.extracted_text),
        url=source.url,
    )
    record.category = _known(Category, result.category)
    record.source_type = _known(SourceType, result.type)
    return record


def result_as_record(result: ClassificationResult, *, title: str, url: str) -> Record:
    """A classification result in the Markdown record's shape."""
    return Record(
        title=title,
        url=url,
        keywords=list(result.keywords),
        themes=list(result.themes),
        category=result.category,
        source_type=result.type,
        summary=result.summary,
        signals=[
            FindingRow(
                name=s.name,
                description=s.description,
                change=s.change,
                ten_year=s.ten_year,
                driving_force=s.driving_force,
                relevancy=s.relevancy,
                themes=list(s.themes),
                confidence=s.confidence,
            )
            for s in result.signals
        ],
        behaviors=[_row(finding) for finding in result.behaviors],
        technologies=[_row(finding) for finding in result.technologies],
        issues=[_row(finding) for finding in result.issues],
        category_confidence=result.category_confidence,
        theme_confidence=dict(result.theme_confidence),
    )


def _first_line(text: str) -> str:
    return next((line.strip()[:200] for line in text.splitlines() if line.strip()), "")


def _row(finding) -> FindingRow:
    return FindingRow(
        name=finding.name,
        description=finding.description,
        relevancy=finding.relevancy,
        themes=list(finding.themes),
        confidence=finding.confidence,
    )


def _known(model, name: str) -> str:
    entry = model.objects.filter(name__iexact=name.strip()).first() if name.strip() else None
    return entry.name if entry else ""
