"""Writes to sources: submitting URLs, retries, pasted text, keywords.

Views, the API, commands and tasks all come through here.
"""

import zlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Origin
from apps.knowledge.services import keyword_for_name
from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL
from apps.sources.models import Source, SourceKeyword, Submission
from apps.sources.pipeline.queue import FINAL, enqueue

MAX_URLS_PER_SUBMISSION = 500
Status, Stage = Source.Status, Source.Stage


@dataclass
class LineError:
    line: int
    text: str
    reason: str
    kind: str = "invalid"  # "invalid", "repeated" (same link as an earlier line), "over_limit"


@dataclass
class Submitted:
    line: int
    source: Source
    created: bool


@dataclass
class SubmitResult:
    accepted: list[Submitted] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def existing(self) -> list[Submitted]:
        return [item for item in self.accepted if not item.created]


def urls_submit(text: str, *, user=None, note: str = "") -> SubmitResult:
    """Submit one URL per line. Bad lines are reported by number; good ones go ahead."""
    result = SubmitResult()
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    if len(lines) > MAX_URLS_PER_SUBMISSION:
        result.errors.append(
            LineError(
                lines[MAX_URLS_PER_SUBMISSION][0],
                lines[MAX_URLS_PER_SUBMISSION][1],
                f"at most {MAX_URLS_PER_SUBMISSION} links at a time; this line and the ones "
                "after it were not submitted",
                kind="over_limit",
            )
        )
        lines = lines[:MAX_URLS_PER_SUBMISSION]
    seen: dict[str, Submitted] = {}
    for number, line in lines:
        try:
            canonical = submittable_url(line)
        except InvalidURL as error:
            result.errors.append(LineError(number, line, str(error)))
            continue
        if canonical in seen:
            result.errors.append(
                LineError(
                    number, line, f"the same link as line {seen[canonical].line}", kind="repeated"
                )
            )
            continue
        source, created = source_submit(line, user=user, note=note)
        seen[canonical] = Submitted(number, source, created)
        result.accepted.append(seen[canonical])
    return result


def source_submit(url: str, *, user=None, note: str = "") -> tuple[Source, bool]:
    """The source for `url`, created and queued if new. Raises InvalidURL."""
    canonical = submittable_url(url)
    with transaction.atomic():
        source = Source.objects.filter(canonical_url=canonical).first()
        created = False
        if source is None:
            try:
                # A savepoint: twenty analysts pasting the same link race for the row.
                with transaction.atomic():
                    source = Source.objects.create(
                        url=url,
                        canonical_url=canonical,
                        submitted_by=user,
                        origin=Origin.AI,
                        status=Status.QUEUED,
                        stage=Stage.FETCH,
                    )
                created = True
            except IntegrityError:
                source = Source.objects.get(canonical_url=canonical)
        Submission.objects.create(
            source=source, submitted_by=user, url=url, note=note, created_source=created
        )
        if created:
            enqueue(source.pk, Stage.FETCH)
    return source, created


def source_retry(source: Source, *, user=None, stage: str | None = None) -> bool:
    """Send a finished source back through the pipeline (failed ones from where they failed).

    Returns False when the source is still being worked on.
    """
    stage = stage or (source.stage if source.status != Status.DONE else Stage.FETCH)
    return _requeue(
        source, stage=stage, user=user, field="status", old=source.status, note=f"queued ({stage})"
    )


def sources_retry_failed(*, failure_code: str, user=None) -> int:
    """Retry every failed, blocked or empty source with this reason code."""
    count = 0
    failed = Source.objects.filter(status__in=FINAL, failure_code=failure_code).exclude(
        status=Status.DONE
    )
    for source in failed.only("pk", "status", "stage", "title", "canonical_url").iterator():
        count += source_retry(source, user=user)
    return count


def source_paste_text(source: Source, *, text: str, user=None) -> bool:
    """An analyst supplies the page text (a blocked or empty page): classify it next."""
    text = text.strip()
    if not text:
        raise ValueError("the pasted text is empty")
    return _requeue(
        source,
        stage=Stage.CLASSIFY,
        user=user,
        field="extracted_text",
        note=f"{len(text)} characters pasted",
        extracted_text=text,
    )


def source_upload_html(source: Source, *, content: bytes, user=None) -> bool:
    """An analyst uploads the saved page: extract it next, as if it had been fetched."""
    if not content.strip():
        raise ValueError("the uploaded file is empty")
    return _requeue(
        source,
        stage=Stage.EXTRACT,
        user=user,
        field="raw_content",
        note=f"{len(content)} bytes uploaded",
        raw_content=zlib.compress(content, 6),
        content_type="text/html",
        charset="",
    )


def _requeue(
    source: Source,
    *,
    stage: str,
    user,
    field: str,
    note: str,
    old=None,
    needs_text: bool = False,
    **values,
) -> bool:
    """Send a finished source back to `stage` with `values`, audited; False if it is busy
    (or, with `needs_text`, has no text to classify)."""
    # Only a re-classify names who asked for the run; any other requeue runs on its own.
    values.setdefault("classify_requested_by", None)
    finished = Source.objects.filter(pk=source.pk, status__in=FINAL)
    if needs_text:
        finished = finished.exclude(extracted_text="")
    with transaction.atomic():
        moved = finished.update(
            **values,
            status=Status.QUEUED,
            stage=stage,
            attempts=0,
            next_attempt_at=None,
            failure_code="",
            failure_message="",
            status_changed_at=timezone.now(),
        )
        if moved:
            audit_record(
                source,
                action=AuditEntry.Action.UPDATE,
                origin=Origin.EDITOR,
                actor=user,
                field=field,
                old=old,
                new=note,
            )
            enqueue(source.pk, stage)
    return bool(moved)


def keywords_replace(source: Source, labels: list[str], *, origin: str) -> dict[str, tuple]:
    """Set a source's keywords as a machine gave them, unless an editor curated the list.

    Returns {"keywords": (old, new)} when the list in force changed.
    """
    source.machine_values["keywords"] = labels
    old = [link.label for link in source.keyword_links.all()]
    if source.is_curated("keywords") or old == labels:
        return {}
    links, seen = [], set()
    for label in labels:
        keyword = keyword_for_name(label)
        if keyword.pk in seen:
            continue  # two spellings of one keyword: the first one stays
        seen.add(keyword.pk)
        links.append(
            SourceKeyword(
                source=source, keyword=keyword, label=label, position=len(links), origin=origin
            )
        )
    source.keyword_links.all().delete()
    SourceKeyword.objects.bulk_create(links)
    return {"keywords": (old, labels)}


CLASSIFIERS = ("local", "llm")


def source_reclassify(source: Source, *, user=None, classifier: str = "") -> bool:
    """Run the classify stage again on a final source that has text; False if it can't.

    Only machine-made values are replaced: what editors curated or added survives.
    """
    if classifier and classifier not in CLASSIFIERS:
        raise ValueError(f"unknown classifier {classifier!r}; use one of {', '.join(CLASSIFIERS)}")
    return _requeue(
        source,
        needs_text=True,
        stage=Stage.CLASSIFY,
        user=user,
        field="status",
        old=source.status,
        note=f"queued (classify with {classifier or 'the default'})",
        next_classifier=classifier,
        classify_requested_by=user if user is not None and user.is_authenticated else None,
    )


def sources_reclassify(sources, *, user=None, classifier: str = "") -> int:
    """Re-classify every source of a queryset (a filtered set, or every failed one)."""
    count = 0
    for source in sources.only("pk", "status", "title", "canonical_url").iterator():
        count += source_reclassify(source, user=user, classifier=classifier)
    return count


def sources_failed_classification():
    return Source.objects.filter(status=Status.FAILED, stage=Stage.CLASSIFY)
