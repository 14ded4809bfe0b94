"""The default vocabularies survive a flush (tests with real transactions flush between tests)."""

import pytest
from django.core.management import call_command

from apps.knowledge.models import Category, SourceType


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_default_categories_and_types():
    call_command("flush", interactive=False, verbosity=0)

    assert Category.objects.filter(name="city").exists()
    assert SourceType.objects.filter(name="news").exists()


@pytest.mark.django_db(transaction=True)
def test_a_migrate_does_not_bring_back_a_category_an_editor_deleted():
    Category.objects.filter(name="values").delete()

    call_command("migrate", verbosity=0)

    assert not Category.objects.filter(name="values").exists()
    assert Category.objects.filter(name="city").exists()
