"""A user's own settings page: API tokens to create, see and revoke; the password to change."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.accounts import tokens
from apps.accounts.forms import TokenForm


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; a POST creates one and shows its secret this once."""
    form, plaintext = TokenForm(request.POST if request.method == "POST" else None), None
    if request.method == "POST" and form.is_valid():
        try:
            _, plaintext = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {"form": form, "plaintext": plaintext, "tokens": tokens.tokens_of(request.user)}
    # Never cached: the page may carry a secret shown only once.
    response = render(request, "accounts/settings.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is a 404)."""
    token = get_object_or_404(tokens.tokens_of(request.user), pk=token_id)
    tokens.token_revoke(token=token, user=request.user)
    messages.success(request, f"Token “{token.name}” revoked: it no longer opens the API.")
    return redirect("accounts:settings")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the old one, then the new one twice (Django's form)."""
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The session hash follows the password, so this session stays signed in while
        # every other session of the account is signed out.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:settings")
    response = render(request, "accounts/password_change.html", {"form": form})
    response["Cache-Control"] = "no-store"
    return response
