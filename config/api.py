"""The project's one NinjaAPI. Each app adds its Router here as the API grows."""

from ninja import NinjaAPI, Schema

api = NinjaAPI(title="Spyglass API", version="1", urls_namespace="api")


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, auth=None, tags=["meta"])
def health(request) -> dict:
    """Liveness probe: answers without touching the database."""
    return {"status": "ok"}
