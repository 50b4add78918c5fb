"""Lists cost a fixed number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services

pytestmark = pytest.mark.django_db


def build_profile(author, helper, count: int):
    """`count` entries of every kind: plain, with images, replies, quotes of quotes, retweets."""
    base = helper.tweets.filter(text="a quotable post with a picture").first()
    if base is None:
        base = post(helper, "a quotable post with a picture", uploads=[(images.png_upload(), "pic")])
    quote_of_quote = post(helper, "quoting", quote_of_id=base.pk)
    start = author.tweets.count()
    for i in range(start, start + count):
        kind = i % 5
        if kind == 0:
            post(author, f"plain {i} #feed @{helper.username}")
        elif kind == 1:
            post(author, f"with image {i}", uploads=[(images.png_upload(), "alt")])
        elif kind == 2:
            post(author, f"quote {i}", quote_of_id=quote_of_quote.pk)
        elif kind == 3:
            shared = post(helper, f"to retweet {i}", quote_of_id=base.pk)
            services.retweet_create(user=author, tweet_id=shared.pk)
            services.like_create(user=author, tweet_id=shared.pk)
        else:
            post(author, f"reply {i}", reply_to_id=base.pk)
        if i == 0:
            services.like_create(user=author, tweet_id=base.pk)
    return base


def queries_for(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def people(db):
    return UserFactory(username="author"), UserFactory(username="helper"), UserFactory(username="viewer")


LISTS = {
    "profile page": lambda c, a, b: c.get("/@author", {"limit": 50}),
    "profile replies page": lambda c, a, b: c.get("/@author/replies", {"limit": 50}),
    "profile media page": lambda c, a, b: c.get("/@author/media", {"limit": 50}),
    "profile likes page": lambda c, a, b: c.get("/@author/likes", {"limit": 50}),
    "home page": lambda c, a, b: c.get("/", {"limit": 50}),
    "conversation page": lambda c, a, b: c.get(f"/@helper/status/{b.pk}", {"limit": 50}),
    "hashtag page": lambda c, a, b: c.get("/hashtag/feed", {"limit": 50}),
    "api user timeline": lambda c, a, b: c.get(f"/api/v1/timeline/user/{a.pk}", {"limit": 50}),
    "api likes tab": lambda c, a, b: c.get(f"/api/v1/timeline/user/{a.pk}", {"limit": 50, "tab": "likes"}),
    "api media tab": lambda c, a, b: c.get(f"/api/v1/timeline/user/{a.pk}", {"limit": 50, "tab": "media"}),
    "api replies": lambda c, a, b: c.get(f"/api/v1/tweets/{b.pk}/replies", {"limit": 50}),
    "api likers": lambda c, a, b: c.get(f"/api/v1/tweets/{b.pk}/likers", {"limit": 50}),
    "api retweeters": lambda c, a, b: c.get(f"/api/v1/tweets/{b.pk}/retweeters", {"limit": 50}),
}
MAX_QUERIES = 16


@pytest.mark.parametrize("name", list(LISTS))
def test_query_count_does_not_grow_with_the_page(client, people, name, django_assert_max_num_queries):
    """1 entry, then one of each kind (5), then 50: the same cap, and 50 costs what 5 did."""
    author, helper, viewer = people
    client.force_login(author if name == "home page" else viewer)
    fetch = LISTS[name]
    counts = []
    for size in (1, 4, 45):  # 1, 5 and 50 entries in all
        base = build_profile(author, helper, size)
        with django_assert_max_num_queries(MAX_QUERIES):
            counts.append(queries_for(lambda base=base: fetch(client, author, base)))
    assert counts[2] == counts[1], f"{name}: {counts[1]} queries for 5 entries, {counts[2]} for 50"


SAVED_LISTS = {
    "bookmarks page": lambda c, quoted: c.get("/bookmarks", {"limit": 50}),
    "api bookmarks": lambda c, quoted: c.get("/api/v1/bookmarks", {"limit": 50}),
    "quotes page": lambda c, quoted: c.get(f"/@helper/status/{quoted.pk}/quotes", {"limit": 50}),
    "api quotes": lambda c, quoted: c.get(f"/api/v1/tweets/{quoted.pk}/quotes", {"limit": 50}),
}


@pytest.mark.parametrize("name", list(SAVED_LISTS))
def test_bookmarks_and_quotes_cost_the_same_for_any_page(client, people, name, django_assert_max_num_queries):
    """The viewer's bookmarks (every kind of entry, saved) and a post's quotes: 1, 5 and 50 cost alike."""
    author, helper, viewer = people
    client.force_login(viewer)
    counts = []
    for size in (1, 4, 45):
        build_profile(author, helper, size)
        for tweet in author.tweets.all():
            services.bookmark_create(user=viewer, tweet_id=tweet.pk)
        quoted = helper.tweets.get(text="quoting")  # what every "quote i" entry quotes
        with django_assert_max_num_queries(MAX_QUERIES):
            counts.append(queries_for(lambda quoted=quoted: SAVED_LISTS[name](client, quoted)))
    assert counts[2] == counts[1], f"{name}: {counts[1]} queries for 5 entries, {counts[2]} for 50"
