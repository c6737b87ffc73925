from django.db import migrations

# The role groups are created and kept in line with settings.LANGUAGES by
# conditions.roles.sync_roles after every `migrate` (post_migrate, see
# conditions/apps.py). This migration once called that live code; a
# migration must not, since later versions of it would change what an old
# migration does. Nothing is left to do here.


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
