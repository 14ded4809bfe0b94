"""Every page route against every role, from one table built on the URL configuration.

`PAGES` declares, for each named route of the site (the API has its own matrix in
tests/api/test_permissions.py), the lowest role each method needs, or that the method is
not taken. A route added without a row fails `test_the_table_covers_every_route`. States
matter as well as roles: pasting over a done source is an editor's action, rescuing a
failed one an analyst's.
"""

import pytest
from django.test import Client

from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.core.test_visible_template_syntax import Route, page_routes, sample_data, url_of

PERSONAS = ("anonymous", "signed-in", "reader", "analyst", "editor", "admin")
RANK = {persona: rank for rank, persona in enumerate(PERSONAS)}
ANYONE, SIGNED_IN, READER, ANALYST, EDITOR, ADMIN = PERSONAS
NOT_TAKEN = None  # 405 for everyone

READ = {"GET": READER}
ACTION = {"GET": NOT_TAKEN}
# route name -> {method: the lowest persona it answers}
PAGES: dict[str, dict[str, str | None]] = {
    "dashboard": READ,
    "sources:submit": {"GET": ANALYST, "POST": ANALYST},
    "sources:submit_recent": {"GET": ANALYST},
    "sources:submit_reingest": {**ACTION, "POST": ANALYST},
    "sources:pipeline": READ,
    "sources:pipeline_counts": READ,
    "sources:retry_failed": {**ACTION, "POST": EDITOR},
    "sources:list": READ,
    "sources:detail": READ,
    "sources:retry": {**ACTION, "POST": ANALYST},
    "sources:reclassify": {**ACTION, "POST": EDITOR},
    # On the sample's done source: rewriting a finished record (see STATES for failed ones).
    "sources:paste": {**ACTION, "POST": EDITOR},
    "sources:upload": {**ACTION, "POST": ANALYST},  # no file sent: the form refuses it first
    "findings:theme_choices": READ,
    "findings:create": {"GET": EDITOR, "POST": EDITOR},
    "findings:row": {"GET": READER},
    "findings:edit": {"GET": EDITOR, "POST": EDITOR},
    "findings:relevancy": {"POST": EDITOR},
    "findings:delete": {"GET": EDITOR, "POST": EDITOR},
    "findings:history": READ,
    "findings:theme_add": {"POST": EDITOR},
    "findings:theme_remove": {"POST": EDITOR},
    "source_curation:theme_add": {"POST": EDITOR},
    "source_curation:theme_remove": {"POST": EDITOR},
    "source_curation:history": READ,
    "explore:index": READ,
    "explore:kind": READ,
    "knowledge:theme_index": READ,
    "knowledge:theme_proposed": {"GET": EDITOR},
    "knowledge:theme_create": {**ACTION, "POST": EDITOR},
    "knowledge:theme_accept": {**ACTION, "POST": EDITOR},
    "knowledge:theme_reject": {**ACTION, "POST": EDITOR},
    "knowledge:theme_rename": {**ACTION, "POST": EDITOR},
    "knowledge:theme_merge": {"GET": EDITOR, "POST": EDITOR},
    "knowledge:theme_alias_add": {**ACTION, "POST": EDITOR},
    "knowledge:theme_alias_remove": {**ACTION, "POST": EDITOR},
    "knowledge:theme_relate": {**ACTION, "POST": EDITOR},
    "knowledge:theme_unrelate": {**ACTION, "POST": EDITOR},
    "knowledge:theme": READ,
    "clusters:index": READ,
    "clusters:detail": READ,
    "clusters:confirm": {**ACTION, "POST": EDITOR},
    "clusters:rename": {**ACTION, "POST": EDITOR},
    "clusters:split": {**ACTION, "POST": EDITOR},
    "clusters:remove": {**ACTION, "POST": EDITOR},
    "clusters:not_same": {**ACTION, "POST": EDITOR},
    "review:queue": {"GET": EDITOR},
    "digests:digest": READ,
    "digests:settings": {"GET": READER, "POST": READER},
    "digests:follow": {**ACTION, "POST": READER},
    "digests:unfollow": {**ACTION, "POST": READER},
    # The link in every digest e-mail: its signed token is the permission (docs/digests.md).
    "digests:unsubscribe": {"GET": ANYONE, "POST": ANYONE},
    "review:accept": {"POST": EDITOR},
    "review:delete": {"GET": EDITOR, "POST": EDITOR},
    "feeds:list": {"GET": ANALYST},
    "feeds:add": {**ACTION, "POST": ANALYST},
    "feeds:opml_import": {**ACTION, "POST": ANALYST},  # no file sent: the form refuses it
    "feeds:opml_export": {"GET": ANALYST},
    "feeds:detail": {"GET": ANALYST},
    # The sample feed is the admin's: other analysts may not change it (tests/feeds/test_views.py
    # shows its subscriber may).
    "feeds:pause": {**ACTION, "POST": EDITOR},
    "feeds:resume": {**ACTION, "POST": EDITOR},
    "feeds:poll": {**ACTION, "POST": EDITOR},
    "feeds:adopt": {**ACTION, "POST": EDITOR},
    "feeds:delete": {**ACTION, "POST": EDITOR},
    "trends:index": READ,
    "trends:emerging": READ,
    "radar:index": READ,
    "radar:svg": READ,
    "radar:csv": READ,
    "radar:json": READ,
    "search:results": READ,
    "metrics": {
        "GET": ANYONE
    },  # off without SPYGLASS_METRICS_TOKEN (404); tests/core/test_metrics.py
    "accounts:login": {"GET": ANYONE, "POST": ANYONE},
    "accounts:logout": {**ACTION, "POST": ANYONE},
    "accounts:settings": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:password_change": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:token_revoke": {**ACTION, "POST": SIGNED_IN},
}

# Bodies for actions whose role check comes after the form is read.
BODIES = {"sources:paste": {"text": "The page's text."}}


@pytest.fixture
def world(db):
    data = sample_data()
    clients = {"anonymous": Client()}
    for persona in PERSONAS[1:]:
        role = None if persona == "signed-in" else persona
        client = Client()
        client.force_login(UserFactory(username=f"matrix-{persona}", role=role))
        clients[persona] = client
    return data, clients


# Signing out ends on the login page: that is its success, not a refusal.
ENDS_ON_LOGIN = {"accounts:logout"}


def expect(
    status: int, location: str, persona: str, lowest: str | None, route: str = ""
) -> str | None:
    """What is wrong with this answer, or None."""
    if lowest is NOT_TAKEN:
        return None if status == 405 else f"expected 405, got {status}"
    if RANK[persona] >= RANK[lowest]:
        to_login = "/accounts/login/" in location and route not in ENDS_ON_LOGIN
        if status >= 500 or status in (401, 403) or to_login:
            return f"refused or failed ({status} {location})"
        return None
    if persona == "anonymous":
        if status == 302 and "/accounts/login/" in location:
            return None
        return f"expected the login page, got {status} {location}"
    return None if status == 403 else f"expected 403, got {status}"


def routes() -> list[Route]:
    return [route for route in page_routes() if route.name in PAGES]


def test_the_table_covers_every_route():
    missing = sorted({route.name for route in page_routes()} - set(PAGES))
    assert missing == [], "declare who may use these routes in PAGES"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_what_the_table_says(world, persona):
    data, clients = world
    client, user = clients[persona], clients[persona].session.get("_auth_user_id")
    problems = []
    for route in routes():
        for method, lowest in PAGES[route.name].items():
            # Actions change the sample (a retry queues the source): each request sees the
            # source done and the persona signed in, as the table assumes.
            Source.objects.filter(pk=data.source.pk).update(status=Source.Status.DONE)
            if user and "_auth_user_id" not in client.session:
                client.force_login(UserFactory._meta.model.objects.get(pk=user))
            url = url_of(route, data)
            send = getattr(client, method.lower())
            response = send(url, BODIES.get(route.name, {})) if method == "POST" else send(url)
            location = response.get("Location", "")
            problem = expect(response.status_code, location, persona, lowest, route.name)
            if problem:
                problems.append(f"{method} {url} ({route.name}): {problem}")
    assert problems == []


@pytest.mark.parametrize(
    ("status", "lowest"),
    [(Source.Status.DONE, EDITOR), (Source.Status.FAILED, ANALYST), ("blocked", ANALYST)],
)
@pytest.mark.parametrize("persona", ("analyst", "editor"))
def test_pasting_the_text_depends_on_the_state(world, status, lowest, persona):
    data, clients = world
    Source.objects.filter(pk=data.source.pk).update(status=status)

    response = clients[persona].post(
        f"/sources/{data.source.pk}/paste/", {"text": "The page's text."}
    )

    assert expect(response.status_code, response.get("Location", ""), persona, lowest) is None
