# Spyglass application image: web (gunicorn), Celery workers and beat all run from it.
# docker-compose.yml shows the production setup with PostgreSQL and Redis.
#
# Two stages: `build` installs the locked dependencies into a virtualenv; the final image
# copies only that virtualenv and the code, and runs as the unprivileged user `spyglass`.

FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
# The pinned pip first: an older bundled pip mis-resolves locked extras (see the Makefile).
COPY requirements-pip.lock requirements.lock /tmp/
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements-pip.lock \
    && /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    SPYGLASS_VAR_DIR=/var/lib/spyglass

RUN groupadd --system spyglass \
    && useradd --system --gid spyglass --home-dir /app --shell /usr/sbin/nologin spyglass \
    && mkdir -p /var/lib/spyglass \
    && chown spyglass:spyglass /var/lib/spyglass

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can read it, not change it.
COPY . .

USER spyglass
EXPOSE 8000
VOLUME ["/var/lib/spyglass"]

# The web's readiness (database and broker answer); compose sets its own check per service.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "scripts/probe.py", "http://127.0.0.1:8000/api/v1/health/ready"]

# Static files are served by WhiteNoise straight from the app (finders), no collectstatic.
# Threaded workers: gunicorn kills a sync worker that is busy past --timeout (30 s) in one
# stretch, and a streamed export or backup of a large base runs longer; a gthread worker's
# main loop keeps reporting while a thread streams (docs/operations.md).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
