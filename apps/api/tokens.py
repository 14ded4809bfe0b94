"""The caller's own API tokens, and who the caller is."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from apps.accounts import tokens
from apps.accounts.access import can_edit, can_read, can_submit
from apps.accounts.roles import role_of
from apps.api.auth import SIGNED_IN, can_administer
from apps.api.errors import ERROR_STATUSES, ErrorOut
from apps.api.types import PathId, text

router = Router(tags=["tokens"], auth=SIGNED_IN)


class MeOut(Schema):
    username: str
    role: str | None
    can_read: bool
    can_submit: bool
    can_edit: bool
    can_administer: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: text(max_length=tokens.NAME_MAX, min_length=1)


class NewTokenOut(TokenOut):
    token: str


@router.get("/me", response={200: MeOut, ERROR_STATUSES: ErrorOut})
def me(request: HttpRequest) -> dict:
    """Who the token or session belongs to, and what their role lets them do."""
    user = request.auth
    return {
        "username": user.get_username(),
        "role": role_of(user),
        "can_read": can_read(user),
        "can_submit": can_submit(user),
        "can_edit": can_edit(user),
        "can_administer": can_administer(user),
    }


@router.get("/tokens/", response={200: list[TokenOut], ERROR_STATUSES: ErrorOut})
def token_list(request: HttpRequest):
    """Your tokens, newest first; the secret itself is never shown again."""
    return tokens.tokens_of(request.auth)


@router.post("/tokens/", response={201: NewTokenOut, ERROR_STATUSES: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Create a token; `token` in the answer is the secret, shown this once."""
    token, plaintext = tokens.token_create(user=request.auth, name=payload.name)
    token.token = plaintext
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None, ERROR_STATUSES: ErrorOut})
def token_revoke(request: HttpRequest, token_id: PathId):
    """Revoke one of your tokens; it is refused from then on."""
    token = get_object_or_404(tokens.tokens_of(request.auth), pk=token_id)
    tokens.token_revoke(token=token, user=request.auth)
    return Status(204, None)
