# Spyglass application image: web (gunicorn), Celery workers and beat all run from it.
# docker-compose.yml shows the production-like setup with PostgreSQL and Redis.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPYGLASS_VAR_DIR=/var/lib/spyglass

RUN groupadd --system spyglass \
    && useradd --system --gid spyglass --home-dir /app --shell /usr/sbin/nologin spyglass \
    && mkdir -p /var/lib/spyglass \
    && chown spyglass:spyglass /var/lib/spyglass

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
# The pinned pip first: an older bundled pip mis-resolves locked extras (see the Makefile).
COPY requirements-pip.lock requirements.lock ./
RUN pip install --require-hashes -r requirements-pip.lock \
    && pip install --require-hashes -r requirements.lock

# The code stays owned by root: the app user can read it, not change it.
COPY . .

USER spyglass
EXPOSE 8000
VOLUME ["/var/lib/spyglass"]

# Static files are served by WhiteNoise straight from the app (finders), no collectstatic.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
