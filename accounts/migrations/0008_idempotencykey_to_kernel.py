"""IdempotencyKey now belongs to config.kernel: drop it from accounts' state, keep the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_account_export"), ("kernel", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
