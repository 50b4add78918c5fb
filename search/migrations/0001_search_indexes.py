"""Full-text and trigram search on PostgreSQL: the `chirp` text-search configuration,
a stored search vector on tweets, and the indexes search reads.

Raw SQL rather than the models' Meta: written when a second database, which could not
build them, was also supported.
"""

from django.db import migrations

from search.migrations import _sql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # `simple` (no stemming, no stop words) treats every language alike; unaccent
    # lets "cafe" find "café".
    "CREATE TEXT SEARCH CONFIGURATION chirp (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION chirp ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    # Generated, so creating, editing and deleting a tweet (or COPYing a million)
    # keeps it current with no code to forget.
    "ALTER TABLE tweets_tweet ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('chirp'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX tweet_search ON tweets_tweet USING gin (search_vector) WHERE retweet_of_id IS NULL",
    # The same expressions Django writes for `Upper("username")`, so `%` and LIKE use them.
    "CREATE INDEX user_username_trgm ON accounts_user USING gin ((upper(username::text)) gin_trgm_ops)",
    "CREATE INDEX user_name_trgm ON accounts_user USING gin ((upper(name::text)) gin_trgm_ops)",
    "CREATE INDEX hashtag_name_prefix ON tweets_hashtag (name varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS hashtag_name_prefix",
    "DROP INDEX IF EXISTS user_name_trgm",
    "DROP INDEX IF EXISTS user_username_trgm",
    "ALTER TABLE tweets_tweet DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS chirp",
]


class Migration(migrations.Migration):
    dependencies = [
        ("tweets", "0003_tweet_fanned_out_tweet_tweet_fanout_pending"),
        ("accounts", "0005_user_notification_prefs"),
    ]

    operations = [migrations.RunPython(_sql.on_postgres(FORWARD), _sql.on_postgres(BACKWARD))]
