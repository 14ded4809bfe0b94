"""Pages: the digest, following and digest settings, follow buttons, unsubscribing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.access import can_read, role_required
from apps.digests import selectors, services
from apps.digests.forms import PeriodForm, PreferenceForm
from apps.digests.tokens import TokenError, user_for_token
from apps.knowledge.models import Theme

# Following needs an account (a public reader has no one to follow for) and the reader role.
follower_access = role_required(
    lambda user: user.is_authenticated and can_read(user), "Following themes needs the reader role."
)


@follower_access
def digest(request: HttpRequest) -> HttpResponse:
    """New high-relevancy items on the themes the user follows, grouped by theme."""
    form = PeriodForm(request.GET)
    preference = selectors.preference_of(request.user)
    days = form.cleaned_data["days"] if form.is_valid() else None
    if days is None:
        days = preference.period_days
    context = {
        "digest": selectors.digest_for(request.user, preference=preference, days=days),
        "form": form,
        "days": days,
        "preference": preference,
    }
    return render(request, "digests/digest.html", context)


@follower_access
def digest_settings(request: HttpRequest) -> HttpResponse:
    """The themes the user follows, and how often and what their digest brings."""
    preference = selectors.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Your digest settings are saved.")
            return redirect("digests:settings")
    else:
        initial = {k: getattr(preference, k) for k in ("frequency", "min_relevancy", "period_days")}
        form = PreferenceForm(initial=initial)
    themes = list(selectors.followed_themes(request.user))
    return render(request, "digests/settings.html", {"form": form, "themes": themes})


def _followable(theme_id: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("merged_into"), pk=theme_id)


def _answer(request: HttpRequest, theme: Theme) -> HttpResponse:
    """The button that changed for HTMX, with the flash messages; else back to the page."""
    next_url = request.POST.get("next", "")
    if request.htmx:
        context = {"theme": theme, "following": selectors.is_following(request.user, theme)}
        html = render_to_string(
            "digests/_follow_button.html", {**context, "next": next_url}, request
        )
        return HttpResponse(html + render_to_string("base.html#messages", {"oob": True}, request))
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(theme)


@require_POST
@follower_access
def follow(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Follow a theme (a merged one: the theme it was merged into)."""
    theme = _followable(theme_id)
    try:
        theme = services.theme_follow(user=request.user, theme=theme)
    except services.FollowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You follow “{theme}”: its new signals come in your digest.")
    return _answer(request, theme)


@require_POST
@follower_access
def unfollow(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Stop following a theme."""
    theme = _followable(theme_id)
    services.theme_unfollow(user=request.user, theme=theme)
    messages.success(request, f"You no longer follow “{theme}”.")
    return _answer(request, theme)


# Mail clients send the one-click POST (RFC 8058) without a session or CSRF token: the
# signed token is the proof, and it can only turn e-mails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Ask to confirm (GET), or turn the digest e-mails off (POST); no sign-in needed."""
    try:
        user = user_for_token(token)
    except TokenError as error:
        return render(request, "digests/unsubscribe.html", {"error": str(error)}, status=400)
    done = request.method == "POST"
    if done:
        services.digest_unsubscribe(user=user)
    return render(request, "digests/unsubscribe.html", {"done": done, "token": token, "name": user})
