"""Removing an alias writes its audit entry and the deletion in one transaction."""

from unittest import mock

import pytest
from django.db import DatabaseError

from apps.core.models import AuditEntry
from apps.knowledge.models import ThemeAlias
from apps.knowledge.themes import theme_alias_remove
from tests.accounts.factories import UserFactory
from tests.factories import ThemeAliasFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_deletion_leaves_no_audit_entry_behind():
    alias = ThemeAliasFactory(theme=ThemeFactory(name="energy"), name="power")
    erin = UserFactory(username="erin", role="editor")

    failing = mock.patch.object(ThemeAlias, "delete", side_effect=DatabaseError("lost"))
    with failing, pytest.raises(DatabaseError):
        theme_alias_remove(alias, user=erin)

    assert ThemeAlias.objects.filter(pk=alias.pk).exists()
    assert not AuditEntry.objects.filter(field="aliases").exists()
