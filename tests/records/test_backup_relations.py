"""A backup keeps editors' "see also" links between themes (ThemeRelation)."""

import io

import pytest

from apps.knowledge.models import ThemeRelation
from apps.knowledge.themes import theme_relate
from apps.records.backup import backup_restore, backup_write
from tests.factories import ThemeFactory
from tests.records.conftest import wipe

pytestmark = pytest.mark.django_db


def test_see_also_links_survive_a_wipe_and_restore():
    ai, ethics, law = (ThemeFactory(name=n) for n in ("ai", "ethics", "law"))
    theme_relate(theme=law, other=ai, user=None)
    theme_relate(theme=ai, other=ethics, user=None)
    out = io.BytesIO()
    backup_write(out)
    wipe()

    backup_restore(io.BytesIO(out.getvalue()))

    pairs = {
        frozenset((relation.theme_a.slug, relation.theme_b.slug))
        for relation in ThemeRelation.objects.select_related("theme_a", "theme_b")
    }
    assert pairs == {frozenset(("ai", "law")), frozenset(("ai", "ethics"))}
    assert all(r.theme_a_id < r.theme_b_id for r in ThemeRelation.objects.all())


def test_restoring_twice_adds_no_second_link():
    ai, ethics = ThemeFactory(name="ai"), ThemeFactory(name="ethics")
    theme_relate(theme=ethics, other=ai, user=None)
    out = io.BytesIO()
    backup_write(out)

    backup_restore(io.BytesIO(out.getvalue()))

    assert ThemeRelation.objects.count() == 1
