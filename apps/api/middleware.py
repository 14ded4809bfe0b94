"""API requests the URL patterns alone answer badly: a path with its trailing slash missing
(or one too many), a path that is no endpoint, a method the endpoint does not take.

Collections end in "/" (`/sources/`) and items do not (`/sources/42`), which scripts get
wrong. Django's APPEND_SLASH would answer `POST /api/v1/sources` with a redirect that drops
the body (or, with DEBUG on, a 500), so a script would believe it submitted; here the
request is served at the path that exists instead. Django and ninja answer an unknown path
and a wrong method themselves, as HTML and plain text; here they become the API's JSON
error like every other.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse

API_PREFIX = "/api/"


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _serve_at_the_existing_path(request: HttpRequest) -> None:
    path = request.path_info
    if _resolves(path):
        return
    other = path[:-1] if path.endswith("/") else f"{path}/"
    if other.startswith(API_PREFIX) and _resolves(other):
        request.path = request.path.removesuffix(path) + other
        request.path_info = other


def _json_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    docs = reverse("api:openapi-view")
    if response.status_code == 404:
        message = f"No API endpoint at {request.path}; {docs} lists them all."
        body = {"message": message, "code": "not_found", "details": {}}
        return JsonResponse(body, status=404)
    allowed = sorted(
        filter(None, (method.strip() for method in response.get("Allow", "").split(",")))
    )
    message = f"{request.path} does not take {request.method}; it takes {', '.join(allowed)}."
    details = {"allowed": allowed}
    answer = JsonResponse(
        {"message": message, "code": "method_not_allowed", "details": details}, status=405
    )
    answer["Allow"] = response.get("Allow", "")
    return answer


def api_errors(get_response: Callable[[HttpRequest], HttpResponse]):
    """Serve an API path missing or adding a trailing slash; answer 404 and 405 as JSON."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return get_response(request)
        _serve_at_the_existing_path(request)
        response = get_response(request)
        json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code in (404, 405) and not json:
            return _json_error(request, response)
        return response

    return middleware
