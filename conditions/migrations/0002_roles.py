from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from django.apps import apps as global_apps

    from conditions.roles import sync_roles

    # Permissions are normally created after all migrations; roles need them now.
    create_permissions(
        global_apps.get_app_config("conditions"), apps=apps, verbosity=0
    )
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
