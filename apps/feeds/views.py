"""The feed pages: plain forms that post and come back, so all works without JavaScript."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import submit_access
from apps.feeds import services
from apps.feeds.forms import OpmlForm, SubscribeForm
from apps.feeds.models import Feed
from apps.feeds.opml import OpmlError, opml_write
from apps.feeds.selectors import feed_get, feed_list, recent_entries


def _feed(feed_id: int) -> Feed:
    try:
        return feed_get(feed_id)
    except Feed.DoesNotExist:
        raise Http404("No such feed.") from None


def _index(request: HttpRequest, form=None, opml_form=None, refused=None, status=200):
    context = {
        "feeds": feed_list(),
        "form": form or SubscribeForm(),
        "opml_form": opml_form or OpmlForm(),
        "refused": refused or [],
    }
    return render(request, "feeds/list.html", context, status=status)


@require_GET
@submit_access
def feed_index(request: HttpRequest) -> HttpResponse:
    """Every subscription with its state, and the forms to add some."""
    return _index(request)


@require_POST
@submit_access
def add(request: HttpRequest) -> HttpResponse:
    """Subscribe to one feed; its first poll is queued at once."""
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _index(request, form=form)
    try:
        feed = services.feed_subscribe(
            url=form.cleaned_data["url"],
            user=request.user,
            interval_minutes=form.cleaned_data["interval"],
            theme_name=form.cleaned_data["theme"],
        )
    except services.FeedInputError as error:
        form.add_error(None, f"Not subscribed: {error}.")
        return _index(request, form=form)
    messages.success(request, f"Subscribed to {feed}; its first poll is queued.")
    return redirect(feed)


@require_POST
@submit_access
def opml_import(request: HttpRequest) -> HttpResponse:
    """Subscribe to every feed of an OPML file; the refused lines are listed with why."""
    form = OpmlForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, opml_form=form)
    try:
        result = services.feeds_import_opml(form.cleaned_data["file"].read(), user=request.user)
    except OpmlError as error:
        form.add_error("file", f"Nothing imported: {error}.")
        return _index(request, opml_form=form)
    count = len(result.subscribed)
    messages.success(request, f"{count} feed{'s' if count != 1 else ''} subscribed.")
    if result.refused:
        messages.warning(request, f"{len(result.refused)} not subscribed: see the list below.")
    return _index(request, refused=result.refused)


@require_GET
@submit_access
def opml_export(request: HttpRequest) -> HttpResponse:
    """Every subscription as an OPML file, for a feed reader or another Spyglass."""
    response = HttpResponse(opml_write(feed_list()), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="spyglass-feeds.opml"'
    return response


@require_GET
@submit_access
def detail(request: HttpRequest, feed_id: int) -> HttpResponse:
    """One feed: its state, its recent entries and the sources they were submitted as."""
    feed = _feed(feed_id)
    context = {"feed": feed, "entries": recent_entries(feed)}
    return render(request, "feeds/detail.html", context)


def _action(run: Callable, done: str, *, to_list: bool = False) -> Callable:
    """A POST on one feed by its subscriber or an editor, then back to the feed."""

    @require_POST
    @submit_access
    def view(request: HttpRequest, feed_id: int) -> HttpResponse:
        feed = _feed(feed_id)
        try:
            run(feed, user=request.user)
        except services.FeedInputError as error:
            messages.error(request, f"Not done: {error}.")
            return redirect(feed)
        messages.success(request, done.format(feed=feed))
        return redirect("feeds:list" if to_list else feed)

    view.__doc__ = run.__doc__
    return view


pause = _action(services.feed_pause, "{feed} is paused.")
resume = _action(services.feed_resume, "{feed} is polled again from now.")
poll_now = _action(services.feed_poll_soon, "A poll of {feed} is queued.")
adopt = _action(services.feed_adopt_suggestion, "Now polling the feed the page named.")
delete = _action(services.feed_delete, "{feed} is unsubscribed; its sources stay.", to_list=True)
