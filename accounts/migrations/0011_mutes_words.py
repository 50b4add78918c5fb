from django.db import migrations, models

# Anyone who already keeps muted words gets the flag, so their words keep applying.
MARK_EXISTING = """
UPDATE accounts_user SET mutes_words = TRUE
WHERE EXISTS (SELECT 1 FROM social_mutedword m WHERE m.user_id = accounts_user.id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_pinned_tweet_and_reading_prefs"),
        ("graph", "0002_muted_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="mutes_words",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunSQL(MARK_EXISTING, migrations.RunSQL.noop),
    ]
