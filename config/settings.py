"""Spyglass settings, read from environment variables (see .env.example).

Embedded defaults (SQLite, a filesystem broker) let a new user run everything with
Python alone; production sets DATABASE_URL and REDIS_URL.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SPYGLASS_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

# The environment wins. Without it, a key that `make run` (DEBUG) generated into
# var/secret_key is used whenever that file exists, so `manage.py createuser` and the
# other documented commands work in a `make run` checkout without DEBUG=true.
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_FILE = VAR_DIR / "secret_key"
if not SECRET_KEY:
    if not DEBUG and not SECRET_KEY_FILE.exists():
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For development run `make run` once "
            "(it keeps a generated key in var/secret_key), or set DEBUG=true."
        )
    SECRET_KEY = local_secret_key(SECRET_KEY_FILE)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    # Only for its templates and static files: the API docs page then loads Swagger UI
    # from this server, never from a CDN (offline, and allowed by the CSP).
    "ninja",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.knowledge",
    "apps.sources",
    "apps.records",
    "apps.review",
    "apps.trends",
    "apps.radar",
    "apps.classification",
    "apps.digests",
    "apps.clusters",
    "apps.feeds",
    "apps.demo",
    "apps.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, whose APPEND_SLASH redirect would drop an API request's body.
    "apps.api.middleware.api_errors",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.access",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = VAR_DIR / "spyglass.sqlite3"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
# Persistent connections pay off under gunicorn, whose fixed workers reuse them. Django's
# development server runs every request in a new thread, and each thread would keep its
# own connection open for CONN_MAX_AGE: 98 idle PostgreSQL connections were seen, enough
# to exhaust max_connections 100. So `runserver` opens one per request and closes it.
RUNNING_DEVSERVER = sys.argv[1:2] == ["runserver"]
DATABASE_CONN_MAX_AGE = 0 if RUNNING_DEVSERVER else env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DATABASE_CONN_MAX_AGE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while a worker writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers wait for each other instead of failing mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The stock filesystem transport can hand out half-written messages: see apps/core/broker.py.
    CELERY_BROKER_TRANSPORT = "apps.core.broker:Transport"
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Without this kombu writes its exchange files into the current directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # An unacknowledged message (its worker died) comes back after this many seconds: just
    # over the longest task's hard limit (classify, 180 s), not Redis's default of an hour.
    # Waits longer than a task are never held as countdown messages (pipeline/queue.py).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
# A pool process that ends a task above this much memory is replaced by a fresh one, so a
# heavy page's memory goes back to the system instead of staying with the worker.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("SPYGLASS_WORKER_MAX_MEMORY_MB", 500) * 1024
CELERY_TASK_IGNORE_RESULT = True
# Sending a task retries for about 15 s, so a broker restart (seconds) does not fail the
# request or the stage that sends it; Celery's default gives up after about 0.6 s.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 8,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 3.0,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery closes the database connection around every task unless told to reuse it; a new
# PostgreSQL session per task cost a fifth of the pipeline's throughput (benchmarks/).
CELERY_DB_REUSE_MAX = 100

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Per process. Django's default of 300 entries is too few for the counts and facets
    # cached per filter (apps/knowledge/cache.py): past it, a third is dropped at once and
    # the next requests count again. 5,000 small entries are a few megabytes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# --- Auth and access ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's ModelBackend behind django-axes, which counts failed logins and refuses more
# after SPYGLASS_LOGIN_FAILURE_LIMIT of them, for the account (username) and for the
# address alike, until SPYGLASS_LOGIN_COOLOFF_MINUTES have passed since the last one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SPYGLASS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SPYGLASS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttle.lockout_response"
# The audit log of every attempt is not needed: failures are counted in AccessAttempt.
AXES_DISABLE_ACCESS_LOG = True
# Behind a reverse proxy every request comes from the proxy's address (see client_address).
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttle.client_address"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
SPYGLASS_PUBLIC_READ = env_bool("SPYGLASS_PUBLIC_READ", False)
# Requests per minute each API token (or signed-in user, or address when reading anonymously)
# may make; 0 turns the limit off (docs/api.md).
SPYGLASS_API_RATE_LIMIT = env_int("SPYGLASS_API_RATE_LIMIT", 120)

# --- Security: strict whenever DEBUG is off ---------------------------------------------
# SPYGLASS_INSECURE_HTTP is the one documented opt-out, for a deployment served over plain
# HTTP on a trusted network (and the `make run` smoke test).
SERVE_OVER_HTTPS = not DEBUG and not env_bool("SPYGLASS_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = SERVE_OVER_HTTPS
CSRF_COOKIE_SECURE = SERVE_OVER_HTTPS
SECURE_SSL_REDIRECT = SERVE_OVER_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SERVE_OVER_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SERVE_OVER_HTTPS
# The preload directive only allows the domain's owner to submit it to the browsers' HSTS
# preload list; nothing happens until they do. On by default so `check --deploy` is clean.
SECURE_HSTS_PRELOAD = SERVE_OVER_HTTPS and env_bool("SPYGLASS_HSTS_PRELOAD", True)
SPYGLASS_BEHIND_PROXY = env_bool("SPYGLASS_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SPYGLASS_BEHIND_PROXY else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere: fetched pages are data and must never run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}

# --- Internationalisation and static files ----------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
# WhiteNoise serves static files in every mode; finders make `collectstatic` optional.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Metrics (docs/operations.md, "Metrics") -------------------------------------------
# Prometheus text format at /metrics, for a scraper sending this token as a Bearer token;
# without a token the page does not exist. Worker processes write their figures to files
# in METRICS_DIR (prometheus-client's multiprocess mode), which the web reads, so web and
# workers must share SPYGLASS_VAR_DIR (they do with make run and in the compose file).
SPYGLASS_METRICS_TOKEN = env_str("SPYGLASS_METRICS_TOKEN")
METRICS_DIR = VAR_DIR / "metrics"
METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(METRICS_DIR))

LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"source": {"()": "apps.core.logs.SourceFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(source)s: %(message)s"},
        "json": {"()": "apps.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["source"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # one line per request drowns the worker log
        # django-axes announces itself at INFO on every start, commands included.
        "axes": {"level": "WARNING"},
    },
}

# --- Ingest pipeline (docs/pipeline.md) -----------------------------------------------------
SPYGLASS_FETCH = {
    "connect_timeout": env_float("SPYGLASS_FETCH_CONNECT_TIMEOUT", 10.0),
    "read_timeout": env_float("SPYGLASS_FETCH_READ_TIMEOUT", 20.0),
    "total_timeout": env_float("SPYGLASS_FETCH_TOTAL_TIMEOUT", 60.0),
    "max_bytes": env_int("SPYGLASS_FETCH_MAX_BYTES", 10 * 1024 * 1024),
    "max_redirects": env_int("SPYGLASS_FETCH_MAX_REDIRECTS", 5),
    "user_agent": env_str(
        "SPYGLASS_USER_AGENT", "Spyglass/0.1 (horizon scanning; +https://example.org/spyglass)"
    ),
    # For development and tests only: lets pages on 127.0.0.1 and private networks be fetched.
    "allow_private": env_bool("SPYGLASS_FETCH_ALLOW_PRIVATE", False),
    # Narrower exceptions, "address" or "address:port" (e.g. an internal wiki you trust).
    "allowed_addresses": tuple(env_list("SPYGLASS_FETCH_ALLOWED_ADDRESSES", [])),
}
SPYGLASS_PIPELINE = {
    "max_attempts": env_int("SPYGLASS_MAX_ATTEMPTS", 5),
    "backoff_base": env_float("SPYGLASS_RETRY_BACKOFF", 30.0),
    "backoff_max": env_float("SPYGLASS_RETRY_BACKOFF_MAX", 3600.0),
    # A refused connection (nothing listens on the port) or a name DNS says does not exist:
    # a few quick attempts, then failed (docs/pipeline.md).
    "quick_attempts": env_int("SPYGLASS_QUICK_ATTEMPTS", 3),
    "quick_backoff": env_float("SPYGLASS_QUICK_BACKOFF", 5.0),
    "host_delay": env_float("SPYGLASS_HOST_DELAY", 1.0),
    # A running stage older than its hard time limit plus this margin is rescued.
    "stuck_margin": env_float("SPYGLASS_STUCK_MARGIN", 60.0),
    # A queued source with no progress after this long gets its task sent again.
    "queued_grace": env_float("SPYGLASS_QUEUED_GRACE", 600.0),
}
# Soft and hard time limits per stage, in seconds.
SPYGLASS_STAGE_LIMITS = {
    "fetch": (
        env_float("SPYGLASS_FETCH_SOFT_LIMIT", 90.0),
        env_float("SPYGLASS_FETCH_HARD_LIMIT", 120.0),
    ),
    "extract": (
        env_float("SPYGLASS_EXTRACT_SOFT_LIMIT", 60.0),
        env_float("SPYGLASS_EXTRACT_HARD_LIMIT", 90.0),
    ),
    "classify": (
        env_float("SPYGLASS_CLASSIFY_SOFT_LIMIT", 120.0),
        env_float("SPYGLASS_CLASSIFY_HARD_LIMIT", 180.0),
    ),
}
CELERY_TASK_ROUTES = {
    "sources.fetch": {"queue": "fetch"},
    "feeds.poll": {"queue": "fetch"},
    "sources.extract": {"queue": "extract"},
    "sources.classify": {"queue": "classify"},
    # Beside classification: its workers already hold the WordLlama model in memory.
    "clusters.place_source": {"queue": "classify"},
}

# --- Feeds (docs/feeds.md) --------------------------------------------------------------------
SPYGLASS_FEEDS = {
    # A feed larger than this (or than SPYGLASS_FETCH_MAX_BYTES, if smaller) is refused.
    "max_bytes": env_int("SPYGLASS_FEEDS_MAX_BYTES", 5 * 1024 * 1024),
    # Entries read per poll, in the feed's order (newest first in nearly every feed).
    "max_entries": env_int("SPYGLASS_FEEDS_MAX_ENTRIES", 500),
    "default_interval": env_int("SPYGLASS_FEEDS_DEFAULT_INTERVAL", 60),  # minutes
    "min_interval": env_int("SPYGLASS_FEEDS_MIN_INTERVAL", 5),
    "max_interval": env_int("SPYGLASS_FEEDS_MAX_INTERVAL", 7 * 24 * 60),
    # Repeated failures double the wait, up to this many minutes.
    "max_backoff_minutes": env_int("SPYGLASS_FEEDS_MAX_BACKOFF", 24 * 60),
    # A claimed poll whose worker died is given up after this long, and the feed is due again.
    "lease_seconds": env_int("SPYGLASS_FEEDS_LEASE", 600),
}

# --- Review of machine findings (docs/curation.md) -------------------------------------------
# A classifier's finding below this confidence (0 to 1) is a "machine draft, not reviewed"
# until an editor accepts, edits or rates it; drafts stay off the dashboard.
SPYGLASS_DRAFT_CONFIDENCE = min(1.0, max(0.0, env_float("SPYGLASS_DRAFT_CONFIDENCE", 0.5)))

# --- E-mail and digests (docs/digests.md) -----------------------------------------------------
# The address links in e-mails start with: no request to build them from when beat sends.
SPYGLASS_SITE_URL = env_str("SPYGLASS_SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Spyglass <spyglass@localhost>")
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Without a mail server the e-mails are written to the worker's output, never lost in an
# SMTP error every hour; set EMAIL_HOST (or EMAIL_BACKEND) to send them.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# How long an unsubscribe link in a digest keeps working.
SPYGLASS_DIGEST_UNSUBSCRIBE_DAYS = env_int("SPYGLASS_DIGEST_UNSUBSCRIBE_DAYS", 365)

# --- Classification (docs/classification.md) -------------------------------------------------
# "local" (offline, the default) or "llm" (any OpenAI-compatible chat endpoint).
SPYGLASS_CLASSIFIER = env_str("SPYGLASS_CLASSIFIER", "local")
SPYGLASS_LLM = {
    "base_url": env_str("SPYGLASS_LLM_BASE_URL"),  # e.g. http://127.0.0.1:11434/v1 (Ollama)
    "model": env_str("SPYGLASS_LLM_MODEL"),
    "api_key": env_str("SPYGLASS_LLM_API_KEY"),
    # auto (negotiate: docs/llm.md), or one mode forced: json_schema (structured outputs),
    # json_object_schema (llama.cpp), json_object (JSON mode) or text (parsed tolerantly).
    "output": env_str("SPYGLASS_LLM_OUTPUT", "auto"),
    # Which name the endpoint uses for the answer's length limit.
    "max_tokens_param": env_str("SPYGLASS_LLM_MAX_TOKENS_PARAM", "max_tokens"),
    "max_tokens": env_int("SPYGLASS_LLM_MAX_TOKENS", 2000),
    "temperature": env_float("SPYGLASS_LLM_TEMPERATURE", 0.1),
    "timeout": env_float("SPYGLASS_LLM_TIMEOUT", 60.0),
    # Page text sent per request, in tokens (about 4 characters each); a longer page is sent
    # in parts, as many as the context allows, at most max_chunks.
    "text_budget": env_int("SPYGLASS_LLM_TEXT_BUDGET", 6000),
    # The model's context length in tokens, when the server does not report it.
    "context": env_int("SPYGLASS_LLM_CONTEXT", 8192),
    "max_chunks": env_int("SPYGLASS_LLM_MAX_CHUNKS", 4),
    # Seconds for all the requests of one page (every part, re-asks included); keep it below
    # SPYGLASS_CLASSIFY_SOFT_LIMIT.
    "deadline": env_float("SPYGLASS_LLM_DEADLINE", 100.0),
    # false: the instructions open the user message (chat templates without a system role).
    "system_role": env_bool("SPYGLASS_LLM_SYSTEM_ROLE", True),
}

# --- Signal clusters (docs/clusters.md) --------------------------------------------------------
# Offline by default (WordLlama); with SPYGLASS_EMBEDDINGS_MODEL set, the vectors come from
# that model's /embeddings route on SPYGLASS_EMBEDDINGS_BASE_URL (or SPYGLASS_LLM_BASE_URL).
SPYGLASS_EMBEDDINGS = {
    "model": env_str("SPYGLASS_EMBEDDINGS_MODEL"),
    "base_url": env_str("SPYGLASS_EMBEDDINGS_BASE_URL"),
    "api_key": env_str("SPYGLASS_EMBEDDINGS_API_KEY"),
    "timeout": env_float("SPYGLASS_EMBEDDINGS_TIMEOUT", 30.0),
    # The similarity (cosine, 0 to 1) at which two signals are the same change; empty: the
    # method's default (docs/clusters.md).
    "threshold": (
        env_float("SPYGLASS_CLUSTERS_THRESHOLD", 0.0)
        if env_str("SPYGLASS_CLUSTERS_THRESHOLD")
        else None
    ),
}
if SPYGLASS_EMBEDDINGS["threshold"] is not None and not 0 < SPYGLASS_EMBEDDINGS["threshold"] <= 1:
    raise ImproperlyConfigured(
        "SPYGLASS_CLUSTERS_THRESHOLD is a cosine similarity: give a number above 0 and at most "
        f"1 (0.55 suits WordLlama), got {SPYGLASS_EMBEDDINGS['threshold']}"
    )
SPYGLASS_CLUSTERS = {
    # Evidence loses half its weight in this many days (docs/clusters.md, "Evidence strength").
    "half_life_days": env_float("SPYGLASS_CLUSTERS_HALF_LIFE_DAYS", 365.0),
    # Unclustered signals a new signal may pair with: the most recent ones, to bound the work.
    "pool": env_int("SPYGLASS_CLUSTERS_POOL", 5000),
}
