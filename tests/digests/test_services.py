import pytest

from apps.digests.models import DigestPreference, Follow, Frequency
from apps.digests.selectors import followed_themes, is_following
from apps.digests.services import (
    FollowError,
    digest_unsubscribe,
    theme_follow,
    theme_unfollow,
)
from apps.knowledge.models import Theme
from apps.knowledge.themes import theme_merge
from tests.factories import ThemeFactory


def test_following_a_theme_lists_it(rita, tidal):
    theme_follow(user=rita, theme=tidal)

    assert list(followed_themes(rita)) == [tidal]
    assert is_following(rita, tidal)


def test_following_twice_keeps_one_follow(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    theme_follow(user=rita, theme=tidal)

    assert Follow.objects.filter(user=rita).count() == 1


def test_unfollowing_removes_the_theme(rita, tidal, coastal):
    theme_follow(user=rita, theme=tidal)
    theme_follow(user=rita, theme=coastal)

    theme_unfollow(user=rita, theme=tidal)

    assert list(followed_themes(rita)) == [coastal]


def test_a_followed_theme_merged_later_is_followed_as_the_survivor(rita, tidal, coastal, editor):
    theme_follow(user=rita, theme=tidal)

    theme_merge(tidal, into=coastal, user=editor)

    assert list(followed_themes(rita)) == [coastal]
    assert is_following(rita, coastal)


def test_a_chain_of_merges_ends_on_the_last_survivor(rita, tidal, coastal, editor):
    third = ThemeFactory(name="blue economy")
    theme_follow(user=rita, theme=tidal)
    theme_merge(tidal, into=coastal, user=editor)
    theme_merge(coastal, into=third, user=editor)

    assert list(followed_themes(rita)) == [third]


def test_following_both_sides_of_a_merge_lists_the_survivor_once(rita, tidal, coastal, editor):
    theme_follow(user=rita, theme=tidal)
    theme_follow(user=rita, theme=coastal)

    theme_merge(tidal, into=coastal, user=editor)

    assert list(followed_themes(rita)) == [coastal]


def test_unfollowing_the_survivor_drops_the_follow_of_the_merged_theme(
    rita, tidal, coastal, editor
):
    theme_follow(user=rita, theme=tidal)
    theme_merge(tidal, into=coastal, user=editor)

    theme_unfollow(user=rita, theme=coastal)

    assert list(followed_themes(rita)) == []
    assert not Follow.objects.filter(user=rita).exists()


def test_following_a_merged_theme_follows_its_survivor(rita, tidal, coastal, editor):
    theme_merge(tidal, into=coastal, user=editor)

    followed = theme_follow(user=rita, theme=Theme.objects.get(pk=tidal.pk))

    assert followed == coastal
    assert Follow.objects.get(user=rita).theme == coastal


def test_a_rejected_theme_cannot_be_followed(rita):
    rejected = ThemeFactory(name="perpetual motion", status=Theme.Status.REJECTED)

    with pytest.raises(FollowError, match="rejected"):
        theme_follow(user=rita, theme=rejected)
    assert not Follow.objects.exists()


def test_followed_themes_are_each_users_own(rita, tidal):
    other = type(rita).objects.create(username="otto")
    theme_follow(user=other, theme=tidal)

    assert list(followed_themes(rita)) == []


def test_unsubscribing_turns_the_emails_off_with_or_without_saved_settings(rita):
    assert digest_unsubscribe(user=rita) is True
    assert DigestPreference.objects.get(user=rita).frequency == Frequency.NEVER
    assert digest_unsubscribe(user=rita) is False
