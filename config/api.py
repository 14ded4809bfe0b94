"""The project's one NinjaAPI at /api/v1/: each area of apps/api adds its Router here."""

from django.utils import timezone
from ninja import NinjaAPI, Schema, Status

from apps.api import (
    errors,
    export,
    facets,
    findings,
    history,
    pipeline,
    search,
    source_details,
    sources,
    themes,
)
from apps.api import tokens as token_routes
from apps.api.docs import SessionSwagger
from apps.core.health import WORKER_STALE_AFTER, broker_problem, database_problem, queue_health

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


class ReadyOut(Schema):
    status: str  # "ok" or "unavailable"
    problems: list[str]


class QueueOut(Schema):
    queue: str
    workers: int
    last_seen_seconds_ago: float | None


class WorkersOut(Schema):
    status: str  # "ok" or "unavailable"
    queues: list[QueueOut]
    problems: list[str]


@api.get("/health", response=HealthOut, auth=None, tags=["meta"])
def health(request) -> dict:
    """Liveness probe: answers without touching the database."""
    return {"status": "ok"}


@api.get("/health/ready", response={200: ReadyOut, 503: ReadyOut}, auth=None, tags=["meta"])
def health_ready(request):
    """Readiness probe for the web: the database and the broker answer (503 naming what not)."""
    problems = [problem for problem in (database_problem(), broker_problem()) if problem]
    return Status(
        503 if problems else 200,
        {"status": "unavailable" if problems else "ok", "problems": problems},
    )


@api.get("/health/workers", response={200: WorkersOut, 503: WorkersOut}, auth=None, tags=["meta"])
def health_workers(request):
    """Workers per queue, from their own reports every 20 s: 503 when a queue has none."""
    now = timezone.now()
    queues = queue_health(now)
    problems = [
        f"no worker has reported for the {item.queue} queue in the last "
        f"{int(WORKER_STALE_AFTER.total_seconds())} s"
        for item in queues
        if not item.workers
    ]
    body = {
        "status": "unavailable" if problems else "ok",
        "queues": [
            {"queue": q.queue, "workers": q.workers, "last_seen_seconds_ago": q.age_seconds(now)}
            for q in queues
        ],
        "problems": problems,
    }
    return Status(503 if problems else 200, body)


# facets before findings: its fixed path must win over /findings/{kind}/{finding_id}.
AREAS = (
    sources,
    source_details,
    pipeline,
    facets,
    findings,
    themes,
    history,
    export,
    token_routes,
    search,
)
for area in AREAS:
    api.add_router("/", area.router)
