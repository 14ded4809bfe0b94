"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Never downloads a browser: chromium comes from the system (SPYGLASS_CHROMIUM, default
/usr/bin/chromium). Without it the tests skip, unless SPYGLASS_BROWSER_REQUIRED=1 (CI),
where a missing browser is a failure. Screenshots go to test-artifacts/screenshots/<test>/
(git-ignored) so a person can look at what the tests saw; a failing test saves one of every
page it had open.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Long enough for a slow shared CI machine, short enough that a broken page fails quickly.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _chromium() -> str:
    return os.environ.get("SPYGLASS_CHROMIUM", "/usr/bin/chromium")


def _browser_required() -> bool:
    return os.environ.get("SPYGLASS_BROWSER_REQUIRED", "").lower() in {"1", "true", "yes", "on"}


# Package scope, not session: Playwright's sync API keeps an event loop running while it is
# started, and Django refuses ORM calls under a running loop. The loop and the permission
# (DJANGO_ALLOW_ASYNC_UNSAFE) must end with these tests, before the rest of the suite runs.
@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless chromium for every browser test."""
    executable = _chromium()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = f"chromium not found at {executable} (set SPYGLASS_CHROMIUM or install chromium)"
        if _browser_required():
            pytest.fail(f"{reason}; SPYGLASS_BROWSER_REQUIRED is set", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """This test's screenshot folder, emptied so it shows this run only (made when needed)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    folder = SCREENSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    return folder


class Screenshots:
    """Numbered screenshots of the steps of one test, named after the step and the width."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def __call__(self, page, step: str, *, full_page: bool = True) -> Path:
        self.count += 1
        width = page.viewport_size["width"] if page.viewport_size else 0
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{slug}-{width}.png"
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def screenshot(shots: Path) -> Screenshots:
    """Call screenshot(page, "what the step shows") at each step worth looking at."""
    return Screenshots(shots)


@pytest.fixture
def new_page(browser, live_server, request: pytest.FixtureRequest, shots: Path) -> Iterator:
    """Open a page in a fresh browser context (its own cookies: a separate session).

    new_page() is a desktop window, new_page(PHONE) a phone-sized one. Relative URLs in
    page.goto() go to the live server.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts = []

    def open_page(viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts, start=1):
        if failed is not None and failed.failed:
            shots.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages, start=1):
                page.screenshot(path=str(shots / f"failed-session{number}-page{index}.png"))
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page in its own session."""
    return new_page()


def log_in(page, user, *, password: str = PASSWORD, next_url: str = "/") -> None:
    """Sign in through the login form, as a person would."""
    from playwright.sync_api import expect

    page.goto(f"/accounts/login/?{urlencode({'next': next_url})}")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(user.get_username(), exact=False).first).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    # The page's scripts (htmx) must have run before a test presses keys: on a loaded machine
    # an Enter pressed earlier submits the form without htmx and reloads the page.
    page.wait_for_load_state("load")


@pytest.fixture
def login() -> Callable[..., None]:
    """login(page, user): sign in through the login form."""
    return log_in
