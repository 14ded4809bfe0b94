"""The interactive docs page: ninja's Swagger UI, served from this server's static files."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger


class SessionSwagger(Swagger):
    """Swagger UI that sends the page's CSRF token, so "Try it out" can write as the
    signed-in user. (ninja adds it only when the API-wide auth asks for CSRF; ours is set
    per router, so ninja would not.)"""

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings, indent=1), "api": api, "add_csrf": True}
        return render(request, self.template, context)
