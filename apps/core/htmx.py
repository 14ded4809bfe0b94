"""Answers for list pages whose filter swaps a results fragment and pushes the URL."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url


def wants_fragment(request: HttpRequest, target: str) -> bool:
    """An HTMX request for just the element `target` (a history restore wants the page)."""
    htmx = request.htmx
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def filtered_answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The same URL answers with a fragment or a page, so caches must keep them apart; the
    address bar gets the filter without its empty parameters."""
    patch_vary_headers(response, ["HX-Request"])
    if not request.htmx:
        return response
    shown = urlencode([(key, value) for key, value in request.GET.items() if value])
    return push_url(response, request.path + (f"?{shown}" if shown else ""))
