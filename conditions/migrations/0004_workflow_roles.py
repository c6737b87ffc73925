from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    from django.apps import apps as global_apps

    from conditions.roles import sync_roles

    # "Medically reviewed by" now comes from approvals, not from a typed role.
    ConditionContributor = apps.get_model("conditions", "ConditionContributor")
    ConditionContributor.objects.filter(role="medical_reviewer").delete()
    create_permissions(
        global_apps.get_app_config("conditions"), apps=apps, verbosity=0
    )
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("conditions", "0003_review_workflow")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
