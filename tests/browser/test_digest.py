"""A reader follows a theme from its page, reads the digest, and unfollows in the settings."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.digests.models import Follow
from tests.accounts.factories import UserFactory
from tests.browser.checks import assert_contrast, assert_controls_named, assert_fits
from tests.browser.conftest import PHONE
from tests.factories import SignalFactory, SignalThemeFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.browser


def test_following_a_theme_brings_its_signals_into_the_digest(page, new_page, login, screenshot):
    tidal = ThemeFactory(name="tidal power")
    ThemeFactory(name="coastal towns")
    signal = SignalFactory(name="Fishing cooperatives finance batteries", relevancy=5)
    SignalThemeFactory(signal=signal, theme=tidal)
    SourceThemeFactory(
        theme=tidal, source=SignalFactory(name="Harbours store power", relevancy=4).source
    )
    SignalFactory(name="Rated low", relevancy=2)
    rita = UserFactory(username="rita", role="reader")
    login(page, rita, next_url=tidal.get_absolute_url())

    page.get_by_role("button", name="Follow tidal power").click()

    # HTMX swapped the button in place: no reload, the message announced.
    expect(page.get_by_role("button", name="Unfollow tidal power")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You follow “tidal power”")
    screenshot(page, "theme followed")
    assert Follow.objects.filter(user=rita, theme=tidal).exists()

    page.goto(reverse("knowledge:theme_index"))
    expect(page.get_by_role("button", name="Unfollow tidal power")).to_be_visible()
    expect(page.get_by_role("button", name="Follow coastal towns")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Digest").click()
    expect(page.get_by_role("heading", level=3).filter(has_text="tidal power")).to_be_visible()
    expect(page.get_by_role("link", name="Fishing cooperatives finance batteries")).to_be_visible()
    expect(page.get_by_role("link", name="Harbours store power")).to_be_visible()  # source's theme
    expect(page.get_by_text("Rated low")).to_have_count(0)
    screenshot(page, "digest desktop")

    phone = new_page(PHONE)
    login(phone, rita, next_url=reverse("digests:digest"))
    assert_fits(phone)
    assert_controls_named(phone)
    assert_contrast(phone)
    screenshot(phone, "digest phone")

    page.get_by_role("link", name="Following and digest settings").click()
    page.get_by_role("button", name="Unfollow tidal power").click()
    expect(page.get_by_role("button", name="Follow tidal power")).to_be_visible()
    screenshot(page, "settings unfollowed")
    assert not Follow.objects.filter(user=rita).exists()
