"""Every endpoint against every role: anonymous, reader, analyst, editor, admin.

Each row names the lowest role that may call it. Below it the API answers 403 (401 when
anonymous); at or above it, anything but 401/403. A guard test fails when an operation of
the schema is missing here, so a new endpoint cannot skip the table.
"""

import re

import pytest
from django.test import override_settings

from apps.knowledge.themes import theme_suggest
from config.api import api
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

PERSONAS = ("anonymous", "reader", "analyst", "editor", "admin")
RANK = {name: rank for rank, name in enumerate(PERSONAS)}

# (method, path with {placeholders}, JSON body, lowest role allowed)
MATRIX = [
    ("GET", "me", None, "reader"),
    ("GET", "tokens/", None, "reader"),
    ("POST", "tokens/", {"name": "matrix"}, "reader"),
    ("DELETE", "tokens/{missing}", None, "reader"),  # 404 for anyone signed in
    ("POST", "sources/", {"urls": ["https://example.org/matrix"]}, "analyst"),
    ("GET", "sources/{source}", None, "reader"),
    ("GET", "sources/{source}/status", None, "reader"),
    ("GET", "sources/{source}/details", None, "reader"),
    ("POST", "sources/{source}/retry", None, "analyst"),
    ("POST", "sources/{source}/reclassify", {}, "editor"),
    ("POST", "sources/{source}/themes/", {"name": "Housing"}, "editor"),
    ("DELETE", "sources/{source}/themes/{theme}", None, "editor"),
    ("GET", "findings/signals/{signal}", None, "reader"),
    ("POST", "findings/signals/", {"source": "{source}", "name": "New"}, "editor"),
    ("PATCH", "findings/signals/{signal}", {"version": 1, "name": "Renamed"}, "editor"),
    ("DELETE", "findings/signals/{signal}", None, "editor"),
    ("POST", "findings/signals/{signal}/accept", {"version": 1}, "editor"),
    ("POST", "findings/signals/{signal}/themes/", {"name": "Housing"}, "editor"),
    ("DELETE", "findings/signals/{signal}/themes/{theme}", None, "editor"),
    ("GET", "themes/", None, "reader"),
    ("GET", "search/", None, "reader"),  # no q: 422 past the role check
    ("GET", "themes/choices", None, "reader"),
    ("GET", "themes/proposed/", None, "editor"),
    ("GET", "themes/{theme}", None, "reader"),
    ("PATCH", "themes/{theme}", {"name": "Older age"}, "editor"),
    ("POST", "themes/{theme}/aliases/", {"name": "Elderly"}, "editor"),
    ("DELETE", "themes/{theme}/aliases/{alias}", None, "editor"),
    ("POST", "themes/{theme}/merge", {"into": "Housing"}, "editor"),
    ("POST", "themes/{proposed}/accept", None, "editor"),
    ("POST", "themes/{proposed}/reject", None, "editor"),
    ("GET", "history/signals/{signal}", None, "reader"),
    ("GET", "sources/", None, "reader"),
    ("GET", "pipeline", None, "reader"),
    ("POST", "pipeline/retry-failed", {"failure_code": "timeout"}, "editor"),
    # Pasting or uploading rescues a source that failed; on a done one it would rewrite a
    # finished record, which is an editor's action (the page upload: tests/api/test_pipeline.py).
    ("POST", "sources/{failed}/text", {"text": "The article."}, "analyst"),
    ("POST", "sources/{failed}/page", None, "analyst"),  # no file: 422 for an analyst
    ("POST", "sources/{source}/text", {"text": "The article."}, "editor"),
    ("GET", "findings/signals/", None, "reader"),
    ("GET", "findings/signals/facets", None, "reader"),
    ("GET", "export/findings/signals", None, "reader"),
    ("POST", "themes/", {"name": "Urban heat"}, "editor"),
    ("GET", "themes/{theme}/related", None, "reader"),
    ("POST", "themes/{theme}/see-also/", {"other": "Housing"}, "editor"),
    ("DELETE", "themes/{theme}/see-also/{housing}", None, "editor"),
    ("GET", "sources/{source}/record", None, "reader"),
    ("GET", "export/backup", None, "editor"),
    ("POST", "export/restore", None, "admin"),  # no file: 422 for an admin
]


@pytest.fixture
def objects(db):
    """One of everything the paths name, fresh for each call."""
    theme = ThemeFactory(name="Ageing")
    housing = ThemeFactory(name="Housing")
    source = SourceFactory(extracted_text="Some text.")
    signal = SignalFactory(source=source)
    SourceThemeFactory(source=source, theme=theme)
    SignalThemeFactory(signal=signal, theme=theme)
    theme_suggest("Vertical farms", source=source)
    return {
        "source": source.pk,
        "signal": signal.pk,
        "theme": theme.pk,
        "alias": ThemeAliasFactory(theme=theme, name="Old age").pk,
        "proposed": source.theme_suggestions.get().theme_id,
        "missing": 999999,
        "housing": housing.pk,
        "failed": SourceFactory(status="failed", failure_code="http_404").pk,
    }


def _fill(value, objects: dict):
    if isinstance(value, str):
        return value.format(**objects) if value != "{source}" else objects["source"]
    if isinstance(value, dict):
        return {key: _fill(item, objects) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, objects) for item in value]
    return value


def _call(clients, persona, objects, method, path, body):
    return clients[persona].send(method, _fill(path, objects), _fill(body, objects))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "body", "lowest"), MATRIX)
def test_each_role_gets_what_it_may(clients, objects, persona, method, path, body, lowest):
    status = _call(clients, persona, objects, method, path, body).status_code
    if RANK[persona] >= RANK[lowest]:
        assert status not in (401, 403), f"{persona} refused {method} {path}"
        assert status < 500
    elif persona == "anonymous":
        assert status == 401
    else:
        assert status == 403


@override_settings(SPYGLASS_PUBLIC_READ=True)
@pytest.mark.parametrize(("method", "path", "body", "lowest"), MATRIX)
def test_public_read_opens_reads_only(clients, objects, method, path, body, lowest):
    status = _call(clients, "anonymous", objects, method, path, body).status_code
    public = method == "GET" and lowest == "reader" and path not in ("me", "tokens/")
    assert (status not in (401, 403)) if public else status == 401


def test_the_table_covers_every_operation():
    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    schema = api.get_openapi_schema()
    documented = {
        (method.upper(), shape(path.removeprefix("/api/v1/")))
        for path, operations in schema["paths"].items()
        for method in operations
        if not path.startswith("/api/v1/health")  # the probes need no one (test_health.py)
    }
    tabled = {(method, shape(path.replace("signals", "{}"))) for method, path, *_ in MATRIX}
    assert documented <= tabled, documented - tabled
