"""Room on each page for counters to change in place.

Likes, retweets and follows bump counters on tweets and users. With full
pages, each bump writes a new row version elsewhere and an entry in every
index of the table, the search GIN and trigram indexes included. Leaving 15 %
of each page free lets most bumps be HOT updates, which touch no index.
Existing pages fill the new way as they are rewritten (VACUUM FULL, a reload).
"""

from django.db import migrations

TABLES = ("tweets_tweet", "accounts_user")


def fillfactor(value: int):
    def run(apps, schema_editor):
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [("tweets", "0003_tweet_fanned_out_tweet_tweet_fanout_pending"), ("accounts", "0007_account_export")]

    operations = [migrations.RunPython(fillfactor(85), fillfactor(100))]
