"""Pages for sources: reading them, submitting links, and following the ingest pipeline."""

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from apps.accounts.access import edit_access, read_access, submit_access
from apps.classification.endpoints import classifier_status
from apps.core.htmx import filtered_answer, wants_fragment
from apps.knowledge.curation_selectors import FRAGMENT_INPUTS
from apps.knowledge.paging import DeferredPaginator
from apps.sources import batches, details, page, selectors, services
from apps.sources.filters import source_filter
from apps.sources.forms import (
    PasteTextForm,
    RetryFailedForm,
    SubmitForm,
    SubmitOutcome,
    UploadPageForm,
)
from apps.sources.models import Source
from apps.sources.pipeline.queue import FINAL

SOURCES_PER_PAGE = 25
BUSY = "This source is being processed, try again when it has finished."
# The state templates compare a source's status with these.
STATES = {"final_states": FINAL, "stopped_states": selectors.STOPPED}


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**STATES, **context})


def _fragments(request: HttpRequest, *parts: tuple[str, dict]) -> HttpResponse:
    """An HTMX answer: the fragments, then the flash messages swapped in out of band."""
    parts += (("base.html#messages", {"oob": True}),)
    html = "".join(render_to_string(name, {**STATES, **ctx}, request) for name, ctx in parts)
    return HttpResponse(html)


# --- Reading -------------------------------------------------------------------------


@read_access
def source_list(request: HttpRequest) -> HttpResponse:
    """List sources under the filter in the query string, a page at a time."""
    form = source_filter(request.GET)
    sources = selectors.sources_filtered(form.cleaned_data)
    load = partial(selectors.sources_with_ids, form.cleaned_data)
    paginator = DeferredPaginator(sources, SOURCES_PER_PAGE, load=load)
    paginator.count = selectors.sources_count(form.cleaned_data, sources)
    page = paginator.get_page(form.cleaned_data.get("page"))
    for source in page:
        source.site = selectors.site_label(source)
    context = {"page": page, "form": form, "filtered": _filtered(form)}
    if wants_fragment(request, "source-results"):
        return filtered_answer(request, render(request, "sources/list.html#results", context))
    context["choices"] = selectors.filter_choices()
    return filtered_answer(request, render(request, "sources/list.html", context))


def _filtered(form) -> bool:
    """Whether the list is narrowed: the empty state then offers to clear the filter."""
    return any(value for name, value in form.data.items() if name not in ("page", "sort"))


def _action_source(source_id: int) -> Source:
    return get_object_or_404(Source.objects.defer("raw_content"), pk=source_id)


def _ingest(
    source: Source, imported: details.Imported | None, paste_form=None, upload_form=None
) -> dict:
    """What the source page's ingest section shows."""
    return {
        "source": source,
        "imported": imported,
        "paste_form": paste_form or PasteTextForm(),
        "upload_form": upload_form or UploadPageForm(),
    }


def _record(record: page.SourcePage, **forms) -> dict:
    """What the whole source page shows: the record, its ingest section, its details."""
    return {
        **FRAGMENT_INPUTS,
        "page": record,
        "details": details.source_details(record.source, imported=record.imported),
        **_ingest(record.source, record.imported, **forms),
    }


@read_access
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    """Show one source the way its Markdown record reads, and where it is in the pipeline."""
    if request.htmx and request.htmx.target == "pipeline":
        source = _action_source(source_id)
        if source.status in FINAL:  # the whole record may have changed: show it all
            return HttpResponseClientRefresh()
        return _page(
            request, "sources/detail.html#pipeline", _ingest(source, details.source_import(source))
        )
    return _page(request, "sources/detail.html", _record(page.source_page(source_id)))


# --- Submitting ----------------------------------------------------------------------


def _recent(user, batch: batches.Batch | None = None) -> dict:
    """The live part of the submit page: the recent list and, for a batch, its progress."""
    rows = selectors.recent_submissions(user)
    progress = batches.batch_progress(user, batch) if batch else None
    unfinished = not selectors.all_final([r.source for r in rows])
    polling = unfinished or (progress is not None and not progress.final)
    return {"submissions": rows, "polling": polling, "batch": batch, "progress": progress}


def _live(request: HttpRequest, batch: batches.Batch | None, *parts) -> HttpResponse:
    """Fragments, then the recent list and the batch's progress out of band. No messages:
    the poll must not wipe the flash message the submit left."""
    live = {**_recent(request.user, batch), "oob": True}
    parts += (("sources/submit.html#recent", live),)
    parts += (("sources/submit.html#progress", live),) if batch else ()
    html = "".join(render_to_string(name, {**STATES, **ctx}, request) for name, ctx in parts)
    return HttpResponse(html)


@submit_access
def submit(request: HttpRequest) -> HttpResponse:
    """Take links, one per line; show which were queued, already known, or refused."""
    form, outcome = SubmitForm(request.POST if request.method == "POST" else None), None
    batch = batches.Batch.from_query(request.GET)
    if form.is_valid():
        urls, note = form.cleaned_data["urls"], form.cleaned_data["note"]
        before = batches.last_submission_id(request.user)
        outcome = SubmitOutcome.of(services.urls_submit(urls, user=request.user, note=note))
        batch = batches.batch_after(request.user, before)
        form = SubmitForm.to_fix(outcome, note)
        messages.success(request, outcome.summary)
    live = _recent(request.user, batch)
    context = {"form": form, "outcome": outcome, **_known(request.user, batch), **live}
    if request.htmx and request.method == "POST":
        recent = ("sources/submit.html#recent", {**live, "oob": True})
        return _fragments(request, ("sources/submit.html#panel", context), recent)
    return _page(request, "sources/submit.html", context)


def _known(user, batch: batches.Batch | None) -> dict:
    """The batch, and how many of its known links are finished (a re-ingest can take them)."""
    if batch is None:
        return {"batch": None, "reingestable": 0}
    finished = batches.known_sources(user, batch).filter(status__in=FINAL)
    return {"batch": batch, "reingestable": finished.count()}


@submit_access
def submit_recent(request: HttpRequest) -> HttpResponse:
    """The user's recent submissions (and a batch's progress): polled while any is unfinished."""
    batch = batches.Batch.from_query(request.GET)
    if batch and request.htmx:
        return _live(request, batch)
    return _page(request, "sources/submit.html#recent", _recent(request.user, batch))


@require_POST
@submit_access
def submit_reingest(request: HttpRequest) -> HttpResponse:
    """Re-ingest (or retry) at once every finished link of a batch that was already known."""
    batch = batches.Batch.from_query(request.POST)
    if batch is None:
        return HttpResponseBadRequest("Say which submission to re-ingest.")
    count = services.sources_retry(batches.known_sources(request.user, batch), user=request.user)
    if count:
        messages.success(request, f"{count} link{pluralize(count)} queued again.")
    else:
        messages.error(request, "Nothing to re-ingest: those links are being processed.")
    if not request.htmx:
        return redirect(f"{reverse('sources:submit')}?{batch.query}")
    context = {"batch": batch, "requeued": count, **_known(request.user, batch)}
    messages_oob = ("base.html#messages", {"oob": True})
    return _live(request, batch, ("sources/submit.html#reingest", context), messages_oob)


# --- The pipeline --------------------------------------------------------------------


def _counts() -> dict:
    return {"counts": selectors.state_counts(), "worker": selectors.worker_status()}


def _board() -> dict:
    return {
        **_counts(),
        "waiting": selectors.waiting_sources(),
        "reasons": selectors.failure_reasons(),
        "classification": classifier_status(),
    }


@read_access
def pipeline(request: HttpRequest) -> HttpResponse:
    """Counts per state, the longest waits and the commonest failures."""
    return _page(request, "sources/pipeline.html", _board())


@read_access
def pipeline_counts(request: HttpRequest) -> HttpResponse:
    """The counts and the worker line, polled by the pipeline page."""
    return _page(request, "sources/pipeline.html#counts", _counts())


@require_POST
@edit_access
def retry_failed(request: HttpRequest) -> HttpResponse:
    """Send every source that stopped for one reason through the pipeline again."""
    form = RetryFailedForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which failure reason to retry.")
    code = form.cleaned_data["failure_code"]
    count = services.sources_retry_failed(failure_code=code, user=request.user)
    if count:
        messages.success(
            request, f"{count} source{pluralize(count)} stopped by “{code}” queued again."
        )
    else:
        messages.info(request, f"Nothing to retry: no source is stopped by “{code}” now.")
    if request.htmx:
        return _fragments(request, ("sources/pipeline.html#board", _board()))
    return redirect("sources:pipeline")


# --- Actions on one source -----------------------------------------------------------


def _source_answer(request: HttpRequest, source_id: int, **forms) -> HttpResponse:
    """After an action on a source: the fragment its button targets (HTMX), else its page.

    Forms with errors are shown again; without HTMX that takes the whole source page.
    """
    source = _action_source(source_id)
    if request.htmx and request.htmx.target == f"state-{source_id}":
        return _fragments(
            request, ("sources/_source_state.html", {"source": source, "actions": True})
        )
    if request.htmx:
        return _fragments(
            request,
            (
                "sources/detail.html#pipeline",
                _ingest(source, details.source_import(source), **forms),
            ),
        )
    if not forms:
        return redirect(source)
    return _page(request, "sources/detail.html", _record(page.source_page(source_id), **forms))


@require_POST
@submit_access
def source_retry(request: HttpRequest, source_id: int) -> HttpResponse:
    """Send one finished source through the pipeline again (a done one from the fetch)."""
    source = _action_source(source_id)
    if services.source_retry(source, user=request.user):
        verb = "Re-ingesting" if source.status == Source.Status.DONE else "Retrying"
        messages.success(request, f"{verb} “{source}”: it is queued.")
    else:
        messages.error(request, BUSY)
    return _source_answer(request, source_id)


@require_POST
@edit_access
def source_reclassify(request: HttpRequest, source_id: int) -> HttpResponse:
    """Classify a finished source again; what editors curated or added is kept."""
    source = _action_source(source_id)
    classifier = request.POST.get("classifier", "")
    try:
        queued = services.source_reclassify(source, user=request.user, classifier=classifier)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    if queued:
        messages.success(request, f"Re-classifying “{source}”: it is queued.")
    else:
        messages.error(request, f"{BUSY} A source needs its text before it can be classified.")
    return _source_answer(request, source_id)


@require_POST
@submit_access
def source_paste(request: HttpRequest, source_id: int) -> HttpResponse:
    """Take the page's text from an analyst, for a page Spyglass could not read itself."""
    source = _action_source(source_id)
    form = PasteTextForm(request.POST)
    if not form.is_valid():
        return _source_answer(request, source_id, paste_form=form)
    if services.source_paste_text(source, text=form.cleaned_data["text"], user=request.user):
        messages.success(request, "Thank you: the text is queued for classification.")
    else:
        messages.error(request, BUSY)
    return _source_answer(request, source_id)


@require_POST
@submit_access
def source_upload(request: HttpRequest, source_id: int) -> HttpResponse:
    """Take the saved page from an analyst and extract it as if Spyglass had fetched it."""
    source = _action_source(source_id)
    form, moved = UploadPageForm(request.POST, request.FILES), None
    if form.is_valid():
        content = form.cleaned_data["page"].read()
        try:
            moved = services.source_upload_html(source, content=content, user=request.user)
        except ValueError:  # nothing but white space in the file
            form.add_error("page", form.fields["page"].error_messages["empty"])
    if moved is None:
        return _source_answer(request, source_id, upload_form=form)
    if moved:
        messages.success(request, "Thank you: the page is queued for extraction.")
    else:
        messages.error(request, BUSY)
    return _source_answer(request, source_id)
