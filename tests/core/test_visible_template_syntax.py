"""No page or fragment shows template source: `{# … #}`, `{% … %}` or `{{ … }}` as text.

Django's `{# #}` comment is one line only: one spread over two lines is printed as text.
This renders every named URL of the site (found through the URL resolver, so a new page is
covered without touching this file), as a page and as an HTMX request, then follows what
each page offers to HTMX: the fragments it loads (`hx-get`) and the forms it posts
(`hx-post`), with the fields the page filled in. Each answer's visible text (text nodes
outside <script> and <style>, and the attributes people read) must hold no template syntax.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.accounts.tokens import token_create
from apps.clusters.models import Cluster, ClusterMember
from apps.core.models import AuditEntry, Origin
from apps.digests.services import theme_follow
from apps.digests.tokens import unsubscribe_token
from apps.feeds.models import Feed, FeedEntry
from apps.knowledge.models import Theme, ThemeRelation
from apps.sources.models import Source, Submission
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    ExtraSectionFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceKeywordFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
# URL namespaces that are not our templates: Django's admin and the API (JSON).
NOT_PAGES = ("admin", "api")
# Posting these would end the session the rest of the crawl needs.
NOT_FOLLOWED = ("/accounts/logout/",)
# Attributes a person reads (or hears) even though they are not text nodes.
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- Visible text --------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Collects the text a person sees, and what HTMX would load or post from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.texts: list[str] = []
        self.loads: list[tuple[str, str]] = []  # (hx-get URL, target id)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self.hidden_depth += 1
        self.texts += [values[name] for name in READ_ATTRIBUTES if name in values]
        if "hx-get" in values:
            self.loads.append((values["hx-get"], _target(values)))
        if tag == "form":
            self._form = Form(values.get("hx-post") or values.get("action", ""), _target(values))
            if values.get("hx-post") or values.get("method", "").lower() == "post":
                self.forms.append(self._form)
        elif self._form is not None:
            self._field(tag, values)

    def _field(self, tag: str, values: dict[str, str]) -> None:
        name = values.get("name")
        if not name:
            return
        if tag == "input" and values.get("type") not in ("checkbox", "radio", "file", "submit"):
            self._form.data.setdefault(name, values.get("value", ""))
        elif tag == "input" and "checked" in values:
            self._form.data.setdefault(name, values.get("value", "on"))
        elif tag == "button" and values.get("value"):
            self._form.data.setdefault(name, values["value"])
        elif tag == "textarea":
            self._textarea = name

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden_depth:
            self.hidden_depth -= 1
        elif tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.texts.append(data)
        if self._textarea and self._form is not None:
            self._form.data.setdefault(self._textarea, data.strip())


@dataclass
class Form:
    url: str
    target: str
    data: dict[str, str] = field(default_factory=dict)


def _target(values: dict[str, str]) -> str:
    """The id of the element an HTMX answer replaces (what the HX-Target header names)."""
    target = values.get("hx-target", "")
    return target[1:] if target.startswith("#") else values.get("id", "")


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def template_syntax_in(html: str) -> list[str]:
    """Each piece of visible text that holds template syntax, shortened to read."""
    return [" ".join(t.split())[:160] for t in read(html).texts if TEMPLATE_SYNTAX.search(t)]


# --- Every named URL -----------------------------------------------------------------


@dataclass
class Route:
    name: str
    route: str
    params: list[str]


def _routes(patterns, namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            yield from _routes(pattern.url_patterns, inner or namespace, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name, route, re.findall(r"<(?:\w+:)?(\w+)>", route))


def page_routes() -> list[Route]:
    """Every named URL of the site's own pages."""
    routes = _routes(get_resolver().url_patterns)
    return [r for r in routes if not r.route.startswith(NOT_PAGES)]


@dataclass
class Data:
    user: object
    source: Source
    failed: Source
    signal: object
    theme: Theme
    proposed: Theme
    other: Theme
    alias: object
    token: object
    cluster: object = None
    feed: object = None


def sample_data() -> Data:
    """A base with some of everything a page can show."""
    user = UserFactory(username="adele", role="admin")
    theme = ThemeFactory(name="tidal power")
    other = ThemeFactory(name="coastal towns")
    ThemeRelation.objects.create(theme_a=theme, theme_b=other, added_by=user)
    source = SourceFactory(title="Tidal batteries", author="Mara Quint", submitted_by=user)
    SourceThemeFactory(source=source, theme=theme)
    SourceKeywordFactory(source=source)
    ExtraSectionFactory(source=source, body="| a | b |\n|---|--:|\n| 1 | 2 |")
    signal = SignalFactory(source=source, name="Cooperatives buy batteries", relevancy=5)
    SignalThemeFactory(signal=signal, theme=theme)
    BehaviorFactory(source=source)
    TechnologyFactory(source=source)
    IssueFactory(source=source, relevancy=None)
    failed = SourceFactory(
        title="", status=Source.Status.FAILED, failure_code="http_404", failure_message="HTTP 404"
    )
    retrying = SourceFactory(status=Source.Status.RETRYING, attempts=2, failure_message="timeout")
    for item in (source, failed, retrying):
        Submission.objects.create(source=item, submitted_by=user, url=item.url, note="batch 1")
    AuditEntry.objects.create(
        actor=user,
        origin=Origin.EDITOR,
        action=AuditEntry.Action.UPDATE,
        target_type_id=_content_type(signal),
        target_id=signal.pk,
        target_repr=str(signal),
        field="name",
        old="Cooperatives",
        new=signal.name,
    )
    token, _ = token_create(user=user, name="laptop")
    theme_follow(user=user, theme=theme)  # the digest shows the signal above
    cluster = _sample_cluster(signal)
    feed = _sample_feed(user, theme, source)
    return Data(
        user=user,
        source=source,
        failed=failed,
        signal=signal,
        theme=theme,
        proposed=ThemeFactory(name="ocean desalination", status=Theme.Status.PROPOSED),
        other=other,
        alias=ThemeAliasFactory(theme=theme, name="tidal energy"),
        token=token,
        cluster=cluster,
        feed=feed,
    )


def _sample_cluster(signal) -> Cluster:
    """The sample's signal and a second source's, proposed as one change."""
    harbour = SourceFactory(title="Harbour storage", published_on=date(2026, 11, 2))
    twin = SignalFactory(source=harbour, name="Harbour towns share batteries", relevancy=4)
    cluster = Cluster.objects.create(name="Batteries for coastal towns", method="wordllama")
    for item in (signal, twin):
        ClusterMember.objects.create(cluster=cluster, signal=item, similarity=0.71)
    return cluster


def _sample_feed(user, theme: Theme, source: Source) -> Feed:
    """A feed that failed after a success, naming another feed, with one entry submitted."""
    feed = Feed.objects.create(
        url="https://tidal.example.org/",
        canonical_url="https://tidal.example.org/",
        title="Tidal Energy Weekly",
        theme=theme,
        subscribed_by=user,
        last_success_at=timezone.now(),
        last_error_at=timezone.now(),
        last_error="this is a web page, not a feed; the page names a feed at …/feed.xml",
        suggested_url="https://tidal.example.org/feed.xml",
        last_warning="1 entries skipped: “x” has no link",
        failures=1,
        entries_in_feed=1,
        entries_seen=1,
    )
    FeedEntry.objects.create(
        feed=feed, canonical_url=source.canonical_url, url=source.url, title="Tidal", source=source
    )
    return feed


def _content_type(item) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


# How to fill each URL parameter from the sample data. A new parameter name fails the guard
# test below until it is added here.
ARGUMENTS: dict[str, Callable[[Route, Data], object]] = {
    "source_id": lambda route, data: data.source.pk,
    "kind": lambda route, data: "signals",
    "item_id": lambda route, data: (
        data.signal.pk if route.name.startswith("findings:") else data.source.pk
    ),
    "theme_id": lambda route, data: (
        data.theme.pk if route.name.startswith(("findings:", "source_curation:")) else data.other.pk
    ),
    "alias_id": lambda route, data: data.alias.pk,
    "other_id": lambda route, data: data.theme.pk,
    "slug": lambda route, data: data.theme.slug,
    "token_id": lambda route, data: data.token.pk,
    "token": lambda route, data: unsubscribe_token(data.user),
    "cluster_id": lambda route, data: data.cluster.pk,
    "feed_id": lambda route, data: data.feed.pk,
}


# Forms whose interesting answers need typed input (the crawl posts what the page filled in).
TYPED_INPUT: dict[str, Callable[[Data], dict]] = {
    "feeds:add": lambda data: {"url": "ftp://not.a.feed/", "interval": "1", "theme": "nope"},
    "sources:submit": lambda data: {
        "urls": f"https://example.com/new\n{data.source.url}\n{data.failed.url}\nftp://x\n"
        "https://example.com/new?utm_source=x",
        "note": "from the template test",
    },
}


def url_of(route: Route, data: Data) -> str:
    kwargs = {name: ARGUMENTS[name](route, data) for name in route.params}
    return reverse(route.name, kwargs=kwargs)


def test_every_url_parameter_can_be_filled():
    unknown = {p: r.name for r in page_routes() for p in r.params if p not in ARGUMENTS}
    assert unknown == {}, "add these parameters to ARGUMENTS so their pages are checked"


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_comment_spans_two_lines():
    """The same rule read in the source, for templates no URL renders (error pages)."""
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert open_comments == [], "use {% comment %} … {% endcomment %} for comments over lines"


def test_the_check_finds_a_comment_spread_over_two_lines():
    html = "<main><p>{# a comment\n over two lines #}</p><script>let a = {{}};</script></main>"
    assert template_syntax_in(html) == ["{# a comment over two lines #}"]
    assert template_syntax_in('<p title="{{ x }}">ok</p>') == ["{{ x }}"]


# --- The crawl -----------------------------------------------------------------------


class Crawl:
    """Requests made for one URL, and the template syntax found in each answer."""

    def __init__(self, client) -> None:
        self.client = client
        self.found: dict[str, list[str]] = {}
        self.seen: set[tuple] = set()

    def check(self, label: str, response) -> VisibleText | None:
        if "html" not in response.get("Content-Type", ""):
            return None
        html = response.content.decode()
        if shown := template_syntax_in(html):
            self.found[label] = shown
        return read(html)

    def visit(self, url: str) -> None:
        """The URL as a page (POST if it takes only that), then what the page offers HTMX."""
        page = self.check(f"GET {url}", self.client.get(url))
        self.check(f"GET {url} (HTMX)", self.client.get(url, **HTMX))
        if self.client.get(url).status_code == 405:
            self.check(f"POST {url} (HTMX)", self.client.post(url, **HTMX))
            self.check(f"POST {url}", self.client.post(url))
        if page is not None:
            self.follow(page)

    def post(self, url: str, data: dict) -> None:
        """A form posted with typed input, as a page and as HTMX; then what its answer offers."""
        answer = self.check(f"POST {url} {sorted(data)}", self.client.post(url, data))
        self.check(f"POST {url} {sorted(data)} (HTMX)", self.client.post(url, data, **HTMX))
        if answer is not None:
            self.follow(answer)

    def follow(self, page: VisibleText) -> None:
        for url, target in page.loads:
            if ("get", url, target) not in self.seen:
                self.seen.add(("get", url, target))
                headers = {**HTMX, "HTTP_HX_TARGET": target}
                self.check(f"GET {url} (HTMX, target {target})", self.client.get(url, **headers))
        for form in page.forms:
            key = ("post", form.url, form.target, tuple(sorted(form.data.items())))
            if form.url and form.url not in NOT_FOLLOWED and key not in self.seen:
                self.seen.add(key)
                headers = {**HTMX, "HTTP_HX_TARGET": form.target}
                label = f"POST {form.url} (HTMX, target {form.target})"
                self.check(label, self.client.post(form.url, form.data, **headers))


ROUTES = page_routes()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_no_template_syntax_shows_on_any_page_or_fragment(client, route):
    data = sample_data()
    client.force_login(data.user)
    crawl = Crawl(client)

    crawl.visit(url_of(route, data))
    if route.name in TYPED_INPUT:
        crawl.post(url_of(route, data), TYPED_INPUT[route.name](data))

    assert crawl.found == {}


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if not r.params], ids=[r.name for r in ROUTES if not r.params]
)
def test_no_template_syntax_shows_on_an_empty_base(client, route):
    client.force_login(UserFactory(role="analyst"))
    crawl = Crawl(client)

    crawl.visit(reverse(route.name))

    assert crawl.found == {}


def test_no_template_syntax_shows_to_visitors(client):
    crawl = Crawl(client)
    for url in (reverse("accounts:login"), "/no-such-page/"):
        crawl.visit(url)
    crawl.check("login error", client.post(reverse("accounts:login"), {"username": "x"}))

    assert crawl.found == {}


def test_the_crawl_follows_fragments_and_forms(client):
    data = sample_data()
    client.force_login(data.user)
    crawl = Crawl(client)

    crawl.visit(reverse("sources:detail", args=[data.source.pk]))

    followed = {(kind, url) for kind, url, *_ in crawl.seen}
    assert ("post", reverse("findings:relevancy", args=["signals", data.signal.pk])) in followed
    assert ("get", reverse("source_curation:history", args=[data.source.pk])) in followed

    submit = reverse("sources:submit")
    crawl.post(submit, TYPED_INPUT["sources:submit"](data))
    followed = {(kind, url.partition("?")[0]) for kind, url, *_ in crawl.seen}
    assert ("post", reverse("sources:submit_reingest")) in followed
    assert ("get", reverse("sources:submit_recent")) in followed
