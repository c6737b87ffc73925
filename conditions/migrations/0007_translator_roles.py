from django.db import migrations


def forwards(apps, schema_editor):
    from conditions.roles import sync_roles

    # Translators now edit through the workspace only: no model change rights.
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("conditions", "0006_translation_workflow")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
