"""The project's one NinjaAPI at /api/v1/: each area of apps/api adds its Router here."""

from ninja import NinjaAPI, Schema

from apps.api import (
    errors,
    export,
    facets,
    findings,
    history,
    pipeline,
    source_details,
    sources,
    themes,
)
from apps.api import tokens as token_routes
from apps.api.docs import SessionSwagger

api = NinjaAPI(
    title="Spyglass API",
    version="1",
    description=(
        "Everything the browser can do, for scripts. Authenticate with "
        "`Authorization: Bearer <token>` (tokens: your settings page or "
        "`manage.py api_token`), or the browser session plus the X-CSRFToken header. "
        "Errors are JSON {message, code, details}. See docs/api.md."
    ),
    urls_namespace="api",
    # Served from this server's static files (ninja is an installed app): no CDN.
    docs=SessionSwagger(settings={"persistAuthorization": False}),
)
errors.install(api)


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, auth=None, tags=["meta"])
def health(request) -> dict:
    """Liveness probe: answers without touching the database."""
    return {"status": "ok"}


# facets before findings: its fixed path must win over /findings/{kind}/{finding_id}.
AREAS = (sources, source_details, pipeline, facets, findings, themes, history, export, token_routes)
for area in AREAS:
    api.add_router("/", area.router)
