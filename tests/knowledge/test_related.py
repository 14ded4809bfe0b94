"""Related themes: co-occurrence, editors' "see also" (services, selectors, page, roles)."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import history_for
from apps.knowledge.models import Theme, ThemeRelation
from apps.knowledge.related import (
    co_occurring_themes,
    related_themes,
    see_also_themes,
)
from apps.knowledge.themes import ThemeError, theme_merge, theme_relate, theme_unrelate
from tests.accounts.factories import UserFactory
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def on_sources(count: int, *themes: Theme) -> None:
    for _ in range(count):
        source = SourceFactory()
        for theme in themes:
            SourceThemeFactory(source=source, theme=theme)


def names(related) -> list[tuple[str, int]]:
    return [(r.theme.name, r.shared_sources) for r in related]


# --- The model -----------------------------------------------------------------------


def test_a_pair_is_stored_once_lower_id_first():
    a, b = ThemeFactory(), ThemeFactory()
    ThemeRelation.objects.create(theme_a=a, theme_b=b)
    with pytest.raises(IntegrityError):
        ThemeRelation.objects.create(theme_a=b, theme_b=a)


# --- Services ------------------------------------------------------------------------


def test_relate_is_symmetric_and_audited_on_both(editor):
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")

    theme_relate(theme=ethics, other=ai, user=editor)

    assert names(see_also_themes(ai)) == [("ethics", 0)]
    assert names(see_also_themes(ethics)) == [("ai", 0)]
    assert ThemeRelation.objects.get().added_by == editor
    for theme, other in ((ai, "ethics"), (ethics, "ai")):
        [entry] = history_for(theme)
        assert (entry.actor, entry.field, entry.new) == (editor, "see_also", other)


def test_relate_refuses_itself_twice_or_unapproved(editor):
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")
    proposed = ThemeFactory(name="maybe", status=Theme.Status.PROPOSED)
    theme_relate(theme=ai, other=ethics, user=editor)

    with pytest.raises(ThemeError, match="cannot be its own"):
        theme_relate(theme=ai, other=ai, user=editor)
    with pytest.raises(ThemeError, match="'ai' is already a “see also” of 'ethics'"):
        theme_relate(theme=ethics, other=ai, user=editor)
    with pytest.raises(ThemeError, match="'maybe' is not an approved theme"):
        theme_relate(theme=ai, other=proposed, user=editor)
    assert ThemeRelation.objects.count() == 1


def test_unrelate_from_either_side_and_audited(editor):
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")
    theme_relate(theme=ai, other=ethics, user=editor)

    theme_unrelate(theme=ethics, other=ai, user=editor)

    assert not ThemeRelation.objects.exists()
    assert [e.old for e in history_for(ai) if e.old] == ["ethics"]
    with pytest.raises(ThemeError, match="is not a “see also”"):
        theme_unrelate(theme=ai, other=ethics, user=editor)


def test_a_merge_moves_see_also_links_to_the_target(editor):
    old, new, ethics, law = (ThemeFactory(name=n) for n in ("llms", "language models", "e", "l"))
    theme_relate(theme=old, other=ethics, user=editor)
    theme_relate(theme=old, other=new, user=editor)
    theme_relate(theme=new, other=law, user=editor)

    theme_merge(old, into=new, user=editor)

    assert [r.theme for r in see_also_themes(new)] == [ethics, law]
    assert see_also_themes(old) == []


# --- Selectors -----------------------------------------------------------------------


def test_co_occurring_themes_most_shared_first_approved_only():
    ai = ThemeFactory(name="ai")
    ethics, law, chips = (ThemeFactory(name=n) for n in ("ethics", "law", "chips"))
    proposed = ThemeFactory(name="maybe", status=Theme.Status.PROPOSED)
    on_sources(3, ai, ethics)
    on_sources(1, ai, law, proposed)
    on_sources(2, ethics, law)
    on_sources(5, chips)

    assert names(co_occurring_themes(ai)) == [("ethics", 3), ("law", 1)]
    assert names(co_occurring_themes(ethics)) == [("ai", 3), ("law", 2)]
    assert co_occurring_themes(chips) == []


def test_related_lists_see_also_first_with_counts_then_the_rest(editor):
    ai, ethics, law, art = (ThemeFactory(name=n) for n in ("ai", "ethics", "law", "art"))
    on_sources(2, ai, ethics)
    on_sources(1, ai, law)
    theme_relate(theme=ai, other=law, user=editor)
    theme_relate(theme=ai, other=art, user=editor)

    related = related_themes(ai)

    assert [(r.theme.name, r.shared_sources, r.see_also) for r in related] == [
        ("art", 0, True),
        ("law", 1, True),
        ("ethics", 2, False),
    ]


def test_the_related_queries_do_not_grow_with_the_data(editor):
    def count(theme) -> int:
        with CaptureQueriesContext(connection) as queries:
            related_themes(theme)
        return len(queries)

    small, big = ThemeFactory(), ThemeFactory()
    for theme, n in ((small, 2), (big, 20)):
        for other in ThemeFactory.create_batch(n):
            on_sources(2, theme, other)
            theme_relate(theme=theme, other=other, user=editor)
    assert count(small) == count(big) == 2


# --- The theme page ------------------------------------------------------------------


def url(name: str, *args) -> str:
    return reverse(f"knowledge:{name}", args=args)


def test_the_theme_page_shows_both_kinds_of_related_theme(client, editor):
    ai, ethics, law = (ThemeFactory(name=n) for n in ("ai", "ethics", "law"))
    on_sources(2, ai, ethics)
    theme_relate(theme=ai, other=law, user=editor)
    client.force_login(UserFactory(role="reader"))

    html = client.get(ai.get_absolute_url()).content.decode()

    section = html[
        html.index('id="related-themes"') : html.index("</section>", html.index("related"))
    ]
    see_also = section[section.index("See also") : section.index("Often on the same sources")]
    assert f'href="{law.get_absolute_url()}">law</a>' in see_also
    co_occurring = section[section.index("Often on the same sources") :]
    assert f'href="{ethics.get_absolute_url()}">ethics</a>' in co_occurring
    assert "2 shared sources" in co_occurring
    assert url("theme_relate", ai.pk) not in html  # readers get no controls
    assert url("theme_unrelate", ai.pk, law.pk) not in html


def test_the_theme_page_links_the_filtered_sources_list(client):
    ai = ThemeFactory(name="artificial intelligence")
    on_sources(1, ai)
    client.force_login(UserFactory(role="reader"))
    html = client.get(ai.get_absolute_url()).content.decode()
    assert f'href="{reverse("sources:list")}?theme=artificial-intelligence"' in html


def test_editors_get_the_see_also_form_with_approved_names(client, editor):
    ai = ThemeFactory(name="ai")
    ThemeFactory(name="ethics")
    client.force_login(editor)
    html = client.get(ai.get_absolute_url()).content.decode()
    assert f'<label for="see-also-{ai.pk}">' in html
    assert 'list="merge-targets"' in html
    assert '<option value="ethics">' in html


def test_an_editor_adds_a_see_also_with_htmx_and_gets_the_section(client, editor):
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")
    client.force_login(editor)

    response = client.post(url("theme_relate", ai.pk), {"other": "Ethics"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="related-themes"')
    assert "<html" not in html
    assert f'href="{ethics.get_absolute_url()}">ethics</a>' in html
    assert "now list each other" in html  # the flash message, swapped out of band
    assert ThemeRelation.objects.count() == 1


def test_an_unknown_name_is_named_in_the_message(client, editor):
    ai = ThemeFactory(name="ai")
    client.force_login(editor)
    response = client.post(url("theme_relate", ai.pk), {"other": "nothing"}, follow=True)
    assert "See also: no theme is named “nothing”" in response.content.decode()
    assert not ThemeRelation.objects.exists()


def test_without_javascript_an_editor_is_sent_back_to_the_theme(client, editor):
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")
    theme_relate(theme=ai, other=ethics, user=editor)
    client.force_login(editor)
    response = client.post(url("theme_unrelate", ai.pk, ethics.pk))
    assert response.status_code == 302
    assert response.url == ai.get_absolute_url()
    assert not ThemeRelation.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("reader", 403), ("analyst", 403), ("editor", 302), ("admin", 302)],
)
def test_each_role_on_relate_and_unrelate(client, role, status):
    ai, ethics, law = (ThemeFactory(name=n) for n in ("ai", "ethics", "law"))
    ThemeRelation.objects.create(theme_a=ai, theme_b=law)
    if role:
        client.force_login(UserFactory(role=role))

    relate = client.post(url("theme_relate", ai.pk), {"other": "ethics"})
    unrelate = client.post(url("theme_unrelate", ai.pk, law.pk))

    assert (relate.status_code, unrelate.status_code) == (status, status)
    allowed = role in ("editor", "admin")
    assert ThemeRelation.objects.filter(theme_a=ai, theme_b=ethics).exists() is allowed
    assert ThemeRelation.objects.filter(theme_a=ai, theme_b=law).exists() is not allowed
    if role is None:
        assert relate.url.startswith(reverse("accounts:login"))


def test_each_kind_links_the_explorer_filtered_by_the_theme(client):
    ai = ThemeFactory(name="artificial intelligence")
    SignalThemeFactory(theme=ai, signal=SignalFactory())
    client.force_login(UserFactory(role="reader"))
    html = client.get(ai.get_absolute_url()).content.decode()
    explore = reverse("explore:kind", args=["signals"])
    assert f'href="{explore}?theme=artificial-intelligence">Explore the signals' in html
