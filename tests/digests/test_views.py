"""The pages: follow buttons (HTMX and plain POST), the digest, the settings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.digests.models import DigestPreference, Follow, Frequency
from apps.digests.selectors import followed_themes
from apps.digests.services import theme_follow
from tests.digests.conftest import signal_on
from tests.factories import ThemeFactory

DIGEST = reverse("digests:digest")
SETTINGS = reverse("digests:settings")
HTMX = {"HTTP_HX_REQUEST": "true"}


def follow_url(theme) -> str:
    return reverse("digests:follow", args=[theme.pk])


def test_the_theme_page_offers_to_follow(client, rita, tidal):
    client.force_login(rita)

    html = client.get(tidal.get_absolute_url()).content.decode()

    assert f'action="{follow_url(tidal)}"' in html
    assert 'Follow<span class="visually-hidden"> tidal power</span>' in html


def test_following_without_javascript_returns_to_the_page(client, rita, tidal):
    client.force_login(rita)

    response = client.post(follow_url(tidal), {"next": tidal.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == tidal.get_absolute_url()
    assert list(followed_themes(rita)) == [tidal]
    page = client.get(tidal.get_absolute_url()).content.decode()
    assert reverse("digests:unfollow", args=[tidal.pk]) in page
    assert "You follow “tidal power”" in page


def test_following_refuses_to_leave_for_another_site(client, rita, tidal):
    client.force_login(rita)

    response = client.post(follow_url(tidal), {"next": "https://evil.example.com/"})

    assert response["Location"] == tidal.get_absolute_url()


def test_following_with_htmx_swaps_the_button(client, rita, tidal):
    client.force_login(rita)

    response = client.post(follow_url(tidal), {"next": "/themes/"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<form id="follow-{tidal.pk}"')
    assert reverse("digests:unfollow", args=[tidal.pk]) in html
    assert 'hx-swap-oob="true"' in html and "You follow" in html


def test_unfollowing_with_htmx_swaps_the_button_back(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    client.force_login(rita)

    html = client.post(reverse("digests:unfollow", args=[tidal.pk]), **HTMX).content.decode()

    assert f'action="{follow_url(tidal)}"' in html
    assert not Follow.objects.exists()


def test_the_theme_index_marks_followed_themes_in_one_query(client, rita, tidal, coastal):
    theme_follow(user=rita, theme=tidal)
    client.force_login(rita)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("knowledge:theme_index")).content.decode()
        assert reverse("digests:unfollow", args=[tidal.pk]) in html
        assert follow_url(coastal) in html
        return len(captured)

    few = queries()
    for _ in range(10):
        theme_follow(user=rita, theme=ThemeFactory())
    assert queries() == few


def test_a_merged_theme_followed_shows_as_followed_on_the_survivor(client, rita, tidal, coastal):
    from apps.knowledge.themes import theme_merge

    theme_follow(user=rita, theme=tidal)
    theme_merge(tidal, into=coastal, user=rita)
    client.force_login(rita)

    html = client.get(coastal.get_absolute_url()).content.decode()

    assert reverse("digests:unfollow", args=[coastal.pk]) in html


def test_the_digest_says_to_follow_themes_when_none_are(client, rita):
    client.force_login(rita)

    html = client.get(DIGEST).content.decode()

    assert "You follow no theme yet" in html
    assert reverse("knowledge:theme_index") in html


def test_the_digest_says_when_nothing_is_new(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    client.force_login(rita)

    html = client.get(DIGEST).content.decode()

    assert "Nothing new" in html and "Choose a longer period" in html


def test_the_digest_lists_new_signals_by_theme(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, name="Tidal batteries", days_ago=20)
    client.force_login(rita)

    assert "Tidal batteries" not in client.get(DIGEST).content.decode()
    html = client.get(DIGEST, {"days": "30"}).content.decode()

    assert "Tidal batteries" in html and "New high-relevancy signals" in html


def test_a_wrong_period_says_so_and_uses_the_users_own(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, name="Tidal batteries")
    client.force_login(rita)

    html = client.get(DIGEST, {"days": "12"}).content.decode()

    assert "choose one of the periods offered" in html
    assert "Tidal batteries" in html


def test_the_digest_page_runs_the_same_queries_for_1_or_40_signals(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal)
    client.force_login(rita)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DIGEST).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        theme = ThemeFactory()
        theme_follow(user=rita, theme=theme)
        for _ in range(6):
            signal_on(theme, through_source=n % 2 == 0)
    assert queries() == few <= 12


def test_settings_list_the_followed_themes_and_save_the_choices(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    client.force_login(rita)

    html = client.get(SETTINGS).content.decode()
    assert "tidal power" in html and reverse("digests:unfollow", args=[tidal.pk]) in html

    data = {"frequency": "daily", "min_relevancy": "5", "period_days": "30"}
    response = client.post(SETTINGS, data)

    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=rita)
    assert (preference.frequency, preference.min_relevancy, preference.period_days) == (
        Frequency.DAILY,
        5,
        30,
    )


def test_settings_refuse_a_wrong_value_and_save_nothing(client, rita):
    client.force_login(rita)

    data = {"frequency": "hourly", "min_relevancy": "9", "period_days": "7"}
    html = client.post(SETTINGS, data).content.decode()

    assert "Nothing was saved" in html
    assert "choose weekly, daily or never." in html and "give a relevancy from 1 to 5." in html
    assert not DigestPreference.objects.exists()


def test_the_header_links_to_the_digest_when_signed_in(client, rita):
    client.force_login(rita)

    assert f'href="{DIGEST}"' in client.get(reverse("dashboard")).content.decode()
