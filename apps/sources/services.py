"""Writes to sources: submitting URLs, retries, pasted text, keywords.

Views, the API, commands and tasks all come through here.
"""

import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.access import can_edit
from apps.core.audit import audit_record, audit_records
from apps.core.models import AuditEntry, Origin
from apps.knowledge.services import keyword_for_name
from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL
from apps.sources.models import Source, SourceKeyword, Submission
from apps.sources.pipeline.politeness import reserve_first_fetches
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
        source, created = _source_record(line, user=user, note=note)
        seen[canonical] = Submitted(number, source, created)
        result.accepted.append(seen[canonical])
    fetches_start([item.source for item in result.accepted if item.created])
    return result


def source_submit(
    url: str, *, user=None, note: str = "", via_url: str = "", via_label: str = ""
) -> tuple[Source, bool]:
    """The source for `url`, created and queued if new. Raises InvalidURL.

    `via_url`/`via_label` say where the link was found (a feed): kept on a new source
    only, since an existing one already tells its own story.
    """
    source, created = _source_record(
        url, user=user, note=note, via_url=via_url, via_label=via_label
    )
    if created:
        fetches_start([source])
    return source, created


def fetches_start(sources: list[Source]) -> None:
    """Send new sources' fetch tasks, each due at the host slot it reserves (politeness.py).

    Until this runs the new rows have no task; should the process die first, the sweeper
    sends them after SPYGLASS_QUEUED_GRACE.
    """
    with transaction.atomic():
        countdowns = reserve_first_fetches(sources, settings.SPYGLASS_PIPELINE["host_delay"])
        for source in sources:
            enqueue(source.pk, Stage.FETCH, countdown=countdowns[source.pk])


def _source_record(
    url: str, *, user=None, note: str = "", via_url: str = "", via_label: str = ""
) -> tuple[Source, bool]:
    """The source for `url` and its submission, created if new, with no task sent yet."""
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
                        via_url=via_url,
                        via_label=via_label[:300],
                    )
                created = True
            except IntegrityError:
                source = Source.objects.get(canonical_url=canonical)
        Submission.objects.create(
            source=source, submitted_by=user, url=url, note=note, created_source=created
        )
    return source, created


def _retry_stage(source: Source) -> str:
    """Where a retry starts: a done source from the fetch (re-ingest), others where they stopped."""
    return source.stage if source.status != Status.DONE else Stage.FETCH


def source_retry(source: Source, *, user=None, stage: str | None = None) -> bool:
    """Send a finished source back through the pipeline (failed ones from where they failed).

    Returns False when the source is still being worked on.
    """
    stage = stage or _retry_stage(source)
    return _requeue(
        source, stage=stage, user=user, field="status", old=source.status, note=f"queued ({stage})"
    )


def sources_retry(sources, *, user=None) -> int:
    """source_retry for every finished source of a queryset, in one transaction and a fixed
    number of queries (one UPDATE per stage, one audit insert), however many there are.

    Sources still being worked on are left alone. Returns how many were queued.
    """
    with transaction.atomic():
        # Locked (PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock already):
        # no worker can move a row between this read and the UPDATE below.
        rows = list(
            sources.filter(status__in=FINAL)
            .select_for_update()
            .only("pk", "status", "stage", "title", "canonical_url")
        )
        stages: dict[str, list[int]] = {}
        for row in rows:
            stages.setdefault(_retry_stage(row), []).append(row.pk)
        for stage, ids in stages.items():
            # As in _requeue: only a re-classify names who asked for the run.
            Source.objects.filter(pk__in=ids).update(classify_requested_by=None, **_requeued(stage))
        audit_records(
            [(row, row.status, f"queued ({_retry_stage(row)})") for row in rows],
            action=AuditEntry.Action.UPDATE,
            origin=Origin.EDITOR,
            actor=user,
            field="status",
        )
        for row in rows:
            enqueue(row.pk, _retry_stage(row))
    return len(rows)


def sources_retry_failed(*, failure_code: str, user=None) -> int:
    """Retry every failed, blocked or empty source with this reason code."""
    count = 0
    failed = Source.objects.filter(status__in=FINAL, failure_code=failure_code).exclude(
        status=Status.DONE
    )
    for source in failed.only("pk", "status", "stage", "title", "canonical_url").iterator():
        count += source_retry(source, user=user)
    return count


REPLACE_DONE_REFUSAL = (
    "This source is already classified: replacing its text would rewrite the record, which "
    "is an editor's decision. Ask an editor, or an editor can re-classify it."
)


def _rescuable_statuses(source: Source, user) -> tuple[str, ...]:
    """Final states whose text `user` may replace.

    Pasting or uploading the page is the analyst's rescue for a source that failed, was
    blocked or had no content. On a done source it rewrites a finished record, so it is an
    editor's action, like re-classify. `user=None` is the system (commands, tests).
    """
    if user is None or can_edit(user):
        return FINAL
    if source.status == Status.DONE:
        raise PermissionDenied(REPLACE_DONE_REFUSAL)
    return tuple(status for status in FINAL if status != Status.DONE)


def source_paste_text(source: Source, *, text: str, user=None) -> bool:
    """Someone supplies the page text (a blocked or empty page): classify it next."""
    text = text.strip()
    if not text:
        raise ValueError("the pasted text is empty")
    return _requeue(
        source,
        stage=Stage.CLASSIFY,
        user=user,
        field="extracted_text",
        note=f"{len(text)} characters pasted",
        statuses=_rescuable_statuses(source, user),
        extracted_text=text,
    )


def source_upload_html(source: Source, *, content: bytes, user=None) -> bool:
    """Someone uploads the saved page: extract it next, as if it had been fetched."""
    if not content.strip():
        raise ValueError("the uploaded file is empty")
    return _requeue(
        source,
        stage=Stage.EXTRACT,
        user=user,
        field="raw_content",
        note=f"{len(content)} bytes uploaded",
        statuses=_rescuable_statuses(source, user),
        raw_content=zlib.compress(content, 6),
        content_type="text/html",
        charset="",
    )


def _requeued(stage: str) -> dict:
    """What a source sent back to `stage` starts with: queued, no attempts, no failure."""
    return {
        "status": Status.QUEUED,
        "stage": stage,
        "attempts": 0,
        "next_attempt_at": None,
        "failure_code": "",
        "failure_message": "",
        "status_changed_at": timezone.now(),
    }


def _requeue(
    source: Source,
    *,
    stage: str,
    user,
    field: str,
    note: str,
    old=None,
    needs_text: bool = False,
    statuses: tuple[str, ...] = FINAL,
    **values,
) -> bool:
    """Send a finished source back to `stage` with `values`, audited; False if it is busy
    (or, with `needs_text`, has no text to classify).

    The state is checked in the UPDATE itself (`statuses`), so a source that changes state
    after the caller looked at it is not moved on a stale decision."""
    # Only a re-classify names who asked for the run; any other requeue runs on its own.
    values.setdefault("classify_requested_by", None)
    finished = Source.objects.filter(pk=source.pk, status__in=statuses)
    if needs_text:
        finished = finished.exclude(extracted_text="")
    with transaction.atomic():
        moved = finished.update(**values, **_requeued(stage))
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
