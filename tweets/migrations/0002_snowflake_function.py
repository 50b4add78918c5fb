from django.db import migrations

from config.kernel.ids import POSTGRES_FUNCTION


def install(apps, schema_editor):
    schema_editor.execute(POSTGRES_FUNCTION)


def uninstall(apps, schema_editor):
    schema_editor.execute("DROP FUNCTION IF EXISTS chirp_next_id(); DROP SEQUENCE IF EXISTS chirp_id_seq;")


class Migration(migrations.Migration):
    dependencies = [("tweets", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
