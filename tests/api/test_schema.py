"""Schemathesis against the OpenAPI schema: no 5xx, every answer as the schema says.

Bounded for `make test`: a few derandomized examples per operation, an editor's token, a
small knowledge base to hit. The restore endpoint is left out (it replaces everything).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.tokens import token_create
from apps.knowledge.themes import theme_suggest
from tests.accounts.factories import UserFactory
from tests.factories import SignalThemeFactory, SourceFactory, SourceThemeFactory, ThemeFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Restore replaces the base; the two probes answer 503 by design when a worker or the
# broker is missing (tests/api/test_health.py covers them).
EXCLUDED_PATHS = ("/api/v1/export/restore", "/api/v1/health/ready", "/api/v1/health/workers")


@pytest.fixture
def wsgi_in_transaction(db):
    """Let the WSGI app run inside the test's transaction, as Django's test client does:
    otherwise closing "old" connections at the end of a request closes the test's one."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(db, settings):
    settings.SPYGLASS_API_RATE_LIMIT = 0
    theme = ThemeFactory(name="Ageing")
    source = SourceFactory(extracted_text="Some text.")
    SourceThemeFactory(source=source, theme=theme)
    SignalThemeFactory(theme=theme, signal__source=source)
    theme_suggest("Vertical farms", source=source)
    _, plaintext = token_create(user=UserFactory(username="fuzz", role="editor"), name="fuzz")
    return plaintext


# Loaded at collection: the schema view touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).exclude(
    path=list(EXCLUDED_PATHS)
)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, wsgi_in_transaction, editor_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS)
