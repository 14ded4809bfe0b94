"""Personas for the API tests, each with a token, and a client that sends it."""

import pytest
from django.core.cache import cache
from django.test import Client

from apps.accounts.tokens import token_create
from tests.accounts.factories import UserFactory

ROLES = ("reader", "analyst", "editor", "admin")


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Rate counts live in the cache, keyed by ids a rolled-back database hands out again."""
    cache.clear()
    yield
    cache.clear()


class ApiClient(Client):
    """A test client that sends `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def request(self, **request):
        if self.token:
            request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return super().request(**request)

    def send(self, method: str, path: str, data=None, **extra):
        """`data` goes as JSON for POST/PATCH/PUT/DELETE, as the query for GET."""
        path = path if path.startswith("/api/v1/") else f"/api/v1/{path.lstrip('/')}"
        if method.lower() == "get":
            return self.get(path, data or {}, **extra)
        call = getattr(self, method.lower())
        if data is None:
            return call(path, **extra)
        return call(path, data, content_type="application/json", **extra)


def _persona(role: str):
    user = UserFactory(username=f"api-{role}", role=role)
    _, plaintext = token_create(user=user, name=f"{role} script")
    return user, ApiClient(plaintext)


@pytest.fixture
def anonymous():
    return ApiClient()


@pytest.fixture
def reader_api(db):
    return _persona("reader")[1]


@pytest.fixture
def analyst_api(db):
    return _persona("analyst")[1]


@pytest.fixture
def editor_api(db):
    return _persona("editor")[1]


@pytest.fixture
def admin_api(db):
    return _persona("admin")[1]


@pytest.fixture
def clients(db):
    """Every persona's client by role name, plus "anonymous"."""
    return {"anonymous": ApiClient(), **{role: _persona(role)[1] for role in ROLES}}
