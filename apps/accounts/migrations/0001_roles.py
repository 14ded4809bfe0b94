"""Create the reader, analyst, editor and admin groups with their permissions."""

from django.db import migrations

from apps.accounts.services import roles_sync


def create_roles(apps, schema_editor):
    # The live mapping on purpose: roles are defined in code (apps/accounts/roles.py) and
    # post_migrate re-syncs them after every migrate, so a frozen copy here would only drift.
    roles_sync(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("knowledge", "0003_default_vocabularies"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
