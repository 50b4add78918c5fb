"""accounts_user.statuses_count and last_status_at follow tweets_tweet: a trigger per statement.

Statement-level triggers with transition tables count a whole statement at once: a post is one
UPDATE of its author, a bulk load (COPY, bulk_create) one UPDATE per author, and a cascade (an
original's retweets deleted with it) lowers each retweeter's count in the same statement. Deleting
the newest post leaves last_status_at as it was, as Mastodon does.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION chirp_statuses_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts_user u
    SET statuses_count = u.statuses_count + n.added, last_status_at = GREATEST(u.last_status_at, n.newest)
    FROM (SELECT author_id, count(*) AS added, max(created_at) AS newest FROM added_rows GROUP BY author_id) n
    WHERE u.id = n.author_id;
    RETURN NULL;
END $$;

CREATE FUNCTION chirp_statuses_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts_user u
    SET statuses_count = GREATEST(u.statuses_count - n.removed, 0)
    FROM (SELECT author_id, count(*) AS removed FROM removed_rows GROUP BY author_id) n
    WHERE u.id = n.author_id;
    RETURN NULL;
END $$;

CREATE TRIGGER tweet_statuses_added AFTER INSERT ON tweets_tweet
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION chirp_statuses_added();
CREATE TRIGGER tweet_statuses_removed AFTER DELETE ON tweets_tweet
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION chirp_statuses_removed();

UPDATE accounts_user u SET statuses_count = n.total, last_status_at = n.newest
FROM (SELECT author_id, count(*) AS total, max(created_at) AS newest FROM tweets_tweet GROUP BY author_id) n
WHERE u.id = n.author_id;
"""

REVERSE = """
DROP TRIGGER IF EXISTS tweet_statuses_added ON tweets_tweet;
DROP TRIGGER IF EXISTS tweet_statuses_removed ON tweets_tweet;
DROP FUNCTION IF EXISTS chirp_statuses_added();
DROP FUNCTION IF EXISTS chirp_statuses_removed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tweets", "0012_draft_no_card"),
        ("accounts", "0017_user_statuses_count"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
