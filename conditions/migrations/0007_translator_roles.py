from django.db import migrations

# Translators now edit through the workspace only, with no model change
# rights. The role groups are synced after every migrate (see 0002_roles).


class Migration(migrations.Migration):
    dependencies = [("conditions", "0006_translation_workflow")]

    operations = []
