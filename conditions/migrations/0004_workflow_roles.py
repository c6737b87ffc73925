from django.db import migrations


def forwards(apps, schema_editor):
    # "Medically reviewed by" now comes from approvals, not from a typed role.
    # (The role groups are synced after every migrate: see 0002_roles.)
    ConditionContributor = apps.get_model("conditions", "ConditionContributor")
    ConditionContributor.objects.filter(role="medical_reviewer").delete()


class Migration(migrations.Migration):
    dependencies = [("conditions", "0003_review_workflow")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
