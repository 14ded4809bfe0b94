"""Every API error as JSON {"message", "code", "details"}: one set of exception handlers.

Services raise their own exceptions (ValidationError, ThemeError, StaleVersion, Http404,
PermissionDenied); this module maps each to a status, so endpoints never build errors.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from apps.core.curation import StaleVersion
from apps.knowledge.themes import ThemeError
from apps.records.backup import BackupError

# Where ninja says a value came from; the field name is what follows.
_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "filters"}


class ErrorOut(Schema):
    message: str
    code: str
    details: dict


NO_CREDENTIALS = "Sign in, or send an API token as 'Authorization: Bearer <token>'."

# The statuses an endpoint may answer with an ErrorOut; every operation documents them all.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422, 429})


class ApiError(Exception):
    """An error an endpoint decides on itself (a busy source, a missing file...)."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__("rate limited")
        self.retry_after = retry_after


# Kept here so the 409 handler can show the current item without importing every router.
_current_serialisers: list[tuple[type, Callable]] = []


def register_current(model: type, serialise: Callable) -> None:
    """Tell the 409 handler how to show the current version of `model`'s rows."""
    _current_serialisers.append((model, serialise))


def _current(obj) -> dict:
    for model, serialise in _current_serialisers:
        if isinstance(obj, model):
            return serialise(obj)
    return {"id": obj.pk, "version": getattr(obj, "version", None)}


def form_data(form) -> dict:
    """A bound Django form's cleaned data, or a ValidationError naming each bad field."""
    if not form.is_valid():
        raise DjangoValidationError(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return form.cleaned_data


def field_name(loc) -> str:
    parts = [str(part) for part in loc if str(part) not in _LOCATIONS]
    return ".".join(parts) or (str(loc[0]) if loc else "request")


def _fields_message(fields: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
        for name, msgs in fields.items()
    )


def install(api: NinjaAPI) -> None:
    """Register the handlers on the project's NinjaAPI."""

    def reply(request, status: int, code: str, message: str, details=None) -> HttpResponse:
        body = {"message": message, "code": code, "details": details or {}}
        return api.create_response(request, body, status=status)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(field_name(error.get("loc", ())), []).append(error.get("msg", ""))
        message = _fields_message(fields)
        return reply(request, 422, "invalid", message, {"fields": fields})

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = {name: list(msgs) for name, msgs in exc.message_dict.items()}
        else:
            fields = {"__all__": list(exc.messages)}
        return reply(request, 422, "invalid", _fields_message(fields), {"fields": fields})

    def on_theme_error(request: HttpRequest, exc: ThemeError) -> HttpResponse:
        return reply(request, 400, "theme_refused", str(exc))

    def on_backup_error(request: HttpRequest, exc: BackupError) -> HttpResponse:
        return reply(
            request, 422, "backup_refused", f"file: {exc}", {"fields": {"file": [str(exc)]}}
        )

    def on_stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        details = {"current": _current(exc.current)}
        return reply(request, 409, "stale_version", str(exc), details)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, Http404) and str(exc) else "Not found."
        return reply(request, 404, "not_found", message)

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # ninja's default message says nothing; ours says why a token was refused.
        message = str(exc) if str(exc) != "Unauthorized" else NO_CREDENTIALS
        response = reply(request, 401, "not_authenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="spyglass"'
        return response

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, "forbidden", str(exc) or "Your role cannot do this.")

    def on_rate(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        message = f"Too many requests; try again in {exc.retry_after} seconds."
        response = reply(request, 429, "rate_limited", message, {"retry_after": exc.retry_after})
        response["Retry-After"] = str(exc.retry_after)
        return response

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; without this the
        # API answered with an HTML page (or a 500) instead of saying what the limit is.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"The request body is larger than the limit of {_size(limit)}; send less at once."
        return reply(request, 413, "too_large", message, {"limit_bytes": limit})

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return reply(request, exc.status, exc.code, exc.message, exc.details)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own 400 is a body it cannot parse (not JSON, not the form it expects).
        code = "bad_request" if exc.status_code == 400 else "http_error"
        return reply(request, exc.status_code, code, str(exc))

    handlers = [
        (NinjaValidationError, on_ninja_validation),
        (DjangoValidationError, on_django_validation),
        (ThemeError, on_theme_error),
        (BackupError, on_backup_error),
        (StaleVersion, on_stale),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (AuthenticationError, on_auth),
        (PermissionDenied, on_denied),
        (RateLimited, on_rate),
        (RequestDataTooBig, on_too_big),
        (ApiError, on_api_error),
        (HttpError, on_http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def _size(count: int) -> str:
    """2621440 -> '2.5 MB': sizes as people read them."""
    megabytes = count / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{count // 1024} KB"
