"""Every list query can be answered from an index: EXPLAIN never falls back to a full scan.

With sequential scans priced out (`enable_seqscan = off`), PostgreSQL still
picks one only when no index fits. A missing index then shows as a "Seq Scan",
or as an index scan with no "Index Cond" (walking a whole index, filtering as
it goes). Either fails the test.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services

pytestmark = pytest.mark.django_db

LIST_TABLES = ("tweets_tweet", "tweets_like", "tweets_media", "tweets_tweethashtag", "tweets_bookmark")


@pytest.fixture
def data(db):
    author, helper = UserFactory(username="author"), UserFactory(username="helper")
    base = post(helper, "base #tag", uploads=[(images.png_upload(), "")])
    post(author, "reply", reply_to_id=base.pk)
    post(author, "quote #tag", quote_of_id=base.pk)
    services.retweet_create(user=author, tweet_id=base.pk)
    services.like_create(user=author, tweet_id=base.pk)
    return author, base


def full_scans(fetch) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    selects = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and any(t in q["sql"] for t in LIST_TABLES)]
    assert selects
    scans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql in selects:
                cursor.execute("EXPLAIN " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                if unbounded_scans(plan):
                    scans.append(sql + "\n" + "\n".join(plan))
        finally:
            cursor.execute("SET enable_seqscan = on")
    return scans


def unbounded_scans(plan: list[str]) -> list[str]:
    """Scan nodes on list tables that no index condition bounds."""
    found = []
    for index, line in enumerate(plan):
        if "Scan" not in line or not any(f" on {table}" in line for table in LIST_TABLES):
            continue
        if "Seq Scan" in line:
            found.append(line)
            continue
        depth = len(line) - len(line.lstrip())
        details = []
        for following in plan[index + 1 :]:
            if "->" in following or len(following) - len(following.lstrip()) <= depth:
                break
            details.append(following)
        if not any("Index Cond" in d or "Recheck Cond" in d for d in details):
            found.append(line)
    return found


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/timeline/user/{author}?tab=tweets",
        "/api/v1/timeline/user/{author}?tab=replies",
        "/api/v1/timeline/user/{author}?tab=media",
        "/api/v1/timeline/user/{author}?tab=likes",
        "/api/v1/tweets/{base}/replies",
        "/api/v1/tweets/{base}/likers",
        "/api/v1/tweets/{base}/retweeters",
        "/api/v1/tweets/{base}/quotes",
        "/@helper/status/{base}/quotes",
        "/hashtag/tag",
        "/@helper/status/{base}",
    ],
)
def test_list_queries_use_indexes(client, data, path):
    author, base = data
    url = path.format(author=author.pk, base=base.pk)
    assert full_scans(lambda: client.get(url)) == []


@pytest.mark.parametrize("path", ["/api/v1/bookmarks", "/bookmarks"])
def test_bookmark_list_uses_indexes(client, data, path):
    author, base = data
    services.bookmark_create(user=author, tweet_id=base.pk)
    client.force_login(author)
    # A signed-in viewer's visibility filter on a never-analysed table makes the planner hash-join the
    # whole tweets_author index (the likes tab does the same for a signed-in viewer); with statistics,
    # as autovacuum keeps them, it walks bookmark_user and looks each post up by its key.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tweets_bookmark")
    assert full_scans(lambda: client.get(path)) == []


def test_show_this_thread_is_one_probe_of_the_self_replies_index(data):
    """A card's "Show this thread" flag asks whether its author replied to it: on a post with thousands
    of replies, the (reply_to, author) index answers without reading each reply's row."""
    from tweets.models import Tweet
    from tweets.selectors import _self_thread_flag

    _author, base = data
    second = post(base.author, "and a second part", reply_to_id=base.pk)
    # An author who replies a lot elsewhere, and statistics that know it: on a handful of rows the
    # planner's costs tie, and it took the author's replies index (filtering on the post) as often
    # as not, depending on what earlier tests had left in the table's statistics.
    elsewhere = post(UserFactory(), "elsewhere")
    Tweet.objects.bulk_create(
        [Tweet(author=base.author, text=f"reply {i}", reply_to_id=elsewhere.pk) for i in range(300)]
    )
    flag = _self_thread_flag([base.pk, second.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tweets_tweet")
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + flag.sql, flag.params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "tweet_self_replies" in plan, plan
    assert not unbounded_scans(plan.splitlines()), plan
