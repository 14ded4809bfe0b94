"""Reads about one paste of links (a batch): how far its links have come, which were known.

A batch is the submitter's submissions between two ids, both included: the ones one press
of "Submit links" made. It travels in the query string (`first`, `last`) so the submit
page's polling and the bulk re-ingest name it without storing anything. Every read is
scoped to the user, so naming someone else's ids shows nothing.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.http import QueryDict

from apps.sources.models import Source, Submission
from apps.sources.pipeline.queue import FINAL

Status = Source.Status
# How each way of stopping reads after its count: "3 failed", "1 with no content".
STOPPED_WORDS = {
    Status.FAILED: "failed",
    Status.BLOCKED: "blocked",
    Status.NO_CONTENT: "with no content",
}


@dataclass(frozen=True)
class Batch:
    first: int  # submission ids, both included
    last: int

    @classmethod
    def from_query(cls, params: QueryDict) -> "Batch | None":
        """The batch the query string names, or None when it names none (or nonsense)."""
        try:
            first, last = int(params.get("first", "")), int(params.get("last", ""))
        except ValueError:
            return None
        return cls(first, last) if 0 < first <= last else None

    @property
    def query(self) -> str:
        return f"first={self.first}&last={self.last}"


def last_submission_id(user) -> int:
    """The id of the user's latest submission (0 if none): a batch starts after it."""
    found = Submission.objects.filter(submitted_by=user).aggregate(last=Max("id"))["last"]
    return found or 0


def batch_after(user, before: int) -> Batch | None:
    """The batch of the user's submissions made since `before` (last_submission_id)."""
    last = last_submission_id(user)
    return Batch(before + 1, last) if last > before else None


def _submissions(user, batch: Batch) -> QuerySet[Submission]:
    return Submission.objects.filter(submitted_by=user, id__gte=batch.first, id__lte=batch.last)


@dataclass
class Progress:
    total: int
    done: int
    stopped: list[tuple[int, str]]  # (count, words) for each way of stopping that occurred
    in_progress: int

    @property
    def finished(self) -> int:
        return self.total - self.in_progress

    @property
    def final(self) -> bool:
        return self.in_progress == 0

    @property
    def parts(self) -> list[str]:
        """ "12 of 20 done", "3 failed", "5 in progress": what the summary line says."""
        parts = [f"{self.done} of {self.total} done"]
        parts += [f"{count} {words}" for count, words in self.stopped]
        return parts + ([f"{self.in_progress} in progress"] if self.in_progress else [])


def batch_progress(user, batch: Batch) -> Progress:
    """How many of the batch's links are done, stopped, or still on their way: one query."""
    rows = _submissions(user, batch).order_by().values_list("source__status")
    counts = dict(rows.annotate(n=Count("id")))
    stopped = [(counts[s], words) for s, words in STOPPED_WORDS.items() if counts.get(s)]
    finished = sum(counts.get(status, 0) for status in FINAL)
    total = sum(counts.values())
    return Progress(total, counts.get(Status.DONE, 0), stopped, total - finished)


def known_sources(user, batch: Batch) -> QuerySet[Source]:
    """The sources the batch's links found already in the base (no second source made)."""
    known = _submissions(user, batch).filter(created_source=False).values("source_id")
    return Source.objects.filter(pk__in=known)
