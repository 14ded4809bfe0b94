"""Probes: liveness, readiness (database and broker) and workers per queue."""

from datetime import timedelta

from django.utils import timezone

from apps.core.models import WorkerHeartbeat

ALL_QUEUES = "celery,classify,extract,fetch"


def test_liveness_needs_nothing(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_ready_when_the_database_and_the_broker_answer(client, db):
    response = client.get("/api/v1/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "problems": []}


def test_not_ready_names_the_broker_that_does_not_answer(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    settings.CELERY_BROKER_TRANSPORT = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/api/v1/health/ready")

    assert response.status_code == 503
    [problem] = response.json()["problems"]
    assert problem.startswith("the broker (")


def test_workers_per_queue_from_their_own_reports(client, db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="a", seen_at=now, queues="celery,fetch")
    WorkerHeartbeat.objects.create(hostname="b", seen_at=now, queues="extract,classify")
    WorkerHeartbeat.objects.create(
        hostname="old", seen_at=now - timedelta(minutes=10), queues="fetch"
    )

    response = client.get("/api/v1/health/workers")

    assert response.status_code == 200
    queues = {row["queue"]: row for row in response.json()["queues"]}
    assert set(queues) == set(ALL_QUEUES.split(","))
    assert queues["fetch"]["workers"] == 1
    assert queues["fetch"]["last_seen_seconds_ago"] < 5


def test_a_queue_without_a_live_worker_is_a_503_that_names_it(client, db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="a", seen_at=now, queues="celery,fetch,extract")
    WorkerHeartbeat.objects.create(
        hostname="b", seen_at=now - timedelta(minutes=5), queues="classify"
    )

    response = client.get("/api/v1/health/workers")

    assert response.status_code == 503
    assert response.json()["problems"] == [
        "no worker has reported for the classify queue in the last 60 s"
    ]
