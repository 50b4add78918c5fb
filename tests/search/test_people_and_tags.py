"""People search (typo tolerant, prefixes first), @mention suggestions, and hashtags."""

import pytest
from django.db import connection

from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        name: UserFactory(username=name, name=shown, followers_count=followers)
        for name, shown, followers in [
            ("john", "John Carter", 5),
            ("johanna", "Johanna Berg", 50),
            ("jon_snow", "Jon Snow", 500),
            ("mary", "Mary Johnson", 10),
            ("zed", "Zed Zimmer", 0),
        ]
    }


def usernames(api_client, q, **params) -> list[str]:
    response = api_client.get("/api/v1/search", {"q": q, "type": "users", **params})
    assert response.status_code == 200, response.content
    return [user["username"] for user in response.json()["results"]]


def test_a_typo_still_finds_the_user(api_client, people):
    assert usernames(api_client, "jonh")[0] == "john"
    assert "mary" in usernames(api_client, "Jonson")  # display names too


def test_prefix_matches_rank_first(api_client, people):
    found = usernames(api_client, "jo")
    assert found[:3] == ["jon_snow", "johanna", "john"]  # prefixes, the most followed first
    assert "zed" not in found
    assert usernames(api_client, "@JOHANNA")[0] == "johanna"
    assert usernames(api_client, "Mary J")[0] == "mary"


def test_user_results_are_paged_and_shaped_like_other_user_lists(api_client, people):
    first = api_client.get("/api/v1/search", {"q": "jo", "type": "users", "limit": 2}).json()
    rest = api_client.get("/api/v1/search", {"q": "jo", "type": "users", "cursor": first["nextCursor"]}).json()
    assert len(first["results"]) == 2 and first["nextCursor"] == "2"
    assert {u["username"] for u in first["results"] + rest["results"]} >= {"jon_snow", "johanna", "john"}
    assert {"id", "username", "name", "avatarUrl", "isPrivate", "followersCount"} <= set(first["results"][0])


def test_blocked_and_inactive_people_are_not_found(api_client, people):
    viewer = UserFactory(username="viewer", name="Vee Viewer")  # factory names are random: one could be a "Jo"
    social.block_create(blocker=people["john"], blocked=viewer)
    people["johanna"].is_active = False
    people["johanna"].save()
    people["jon_snow"].is_private = True  # private accounts can be found; their posts can't
    people["jon_snow"].save()
    api_client.force_authenticate(viewer)
    assert usernames(api_client, "jo") == ["jon_snow", "mary"]


def test_mention_suggestions_put_people_you_follow_first(client, people):
    me = UserFactory(username="me")
    social.follow_create(follower=me, followee=people["mary"])
    client.force_login(me)
    html = client.get("/search/mentions", {"q": "jo"}).content.decode()
    order = [html.index(f'data-username="{name}"') for name in ("mary", "jon_snow", "johanna", "john")]
    assert order == sorted(order)  # Mary (followed, "Johnson") first, then prefixes by followers
    html = client.get("/search/mentions", {"q": "m"}).content.decode()
    assert 'data-username="mary"' in html and 'data-username="me"' not in html  # never yourself
    html = client.get("/search/mentions", {"q": "jo"}).content.decode()
    assert 'role="option"' in html and 'aria-selected="true"' in html
    assert client.get("/search/mentions", {"q": ""}).content.decode().strip() == ""
    assert client.get("/search/mentions", {"q": "'; --"}).status_code == 200


def test_mention_suggestions_need_a_login(client, people):
    assert client.get("/search/mentions", {"q": "jo"}).status_code == 302


@pytest.fixture
def tagged(db):
    ann, ben, hidden = UserFactory(username="ann"), UserFactory(username="ben"), UserFactory(username="hidden")
    for text in ("alpha #Django", "bravo #django", "charlie #DJANGO #djangocon", "delta #dance"):
        post(ann, text)
    post(ben, "echo #django")
    hidden.is_private = True
    hidden.save()
    post(hidden, "private #djangoprivate")
    return ann, ben


def test_hashtag_page_lists_the_tag_whatever_its_case_with_a_count(client, tagged):
    for spelling in ("django", "Django", "DJANGO"):
        html = client.get(f"/hashtag/{spelling}").content.decode()
        assert all(word in html for word in ("alpha", "bravo", "charlie", "echo")) and "delta" not in html
        assert "4 posts" in html
    assert html.index("echo") < html.index("alpha")  # newest first


def test_hashtag_search_suggests_by_prefix_most_used_first(api_client, tagged):
    results = api_client.get("/api/v1/search", {"q": "#dj", "type": "hashtags"}).json()["results"]
    assert results == [{"hashtag": "django", "tweetCount": 4}, {"hashtag": "djangocon", "tweetCount": 1}]
    assert api_client.get("/api/v1/search", {"q": "DA", "type": "hashtags"}).json()["results"] == [
        {"hashtag": "dance", "tweetCount": 1}
    ]


def test_tags_used_only_in_posts_you_cant_see_are_not_suggested(api_client, tagged):
    results = api_client.get("/api/v1/search", {"q": "djangop", "type": "hashtags"}).json()["results"]
    assert results == []


def test_search_uses_the_gin_and_trigram_indexes(people):
    """With sequential scans priced out, the planner still finds an index for each search condition."""
    from tweets.models import Tweet

    Tweet.objects.bulk_create(Tweet(author=people["zed"], text=f"filler post number {i}") for i in range(2000))
    post(people["john"], "plenty of words here")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tweets_tweet")
    statements = {
        "tweet_search": "SELECT id FROM tweets_tweet WHERE retweet_of_id IS NULL "
        "AND search_vector @@ plainto_tsquery('chirp', 'words')",
        "user_username_trgm": "SELECT id FROM accounts_user WHERE UPPER(username::text) % 'JONH'",
        "user_name_trgm": "SELECT id FROM accounts_user WHERE UPPER(name::text) LIKE '% JOHN%'",
        "user_name_prefix": "SELECT id FROM accounts_user WHERE UPPER(name::text) LIKE 'JOHN%'",
        "user_username_prefix": "SELECT id FROM accounts_user WHERE UPPER(username::text) LIKE 'JOHN%'",
        "hashtag_name_prefix": "SELECT id FROM tweets_hashtag WHERE name LIKE 'dj%'",
    }
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for index, sql in statements.items():
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan
        cursor.execute("SET enable_seqscan = on")


def test_a_swap_of_neighbours_counts_as_one_edit():
    from search.selectors import likeness

    john, jon = UserFactory.build(username="john", name=""), UserFactory.build(username="jon_snow", name="Jon Snow")
    assert likeness("jonh", john) == pytest.approx(0.75 + 0.05)  # one edit in four letters, on the username
    assert likeness("jonh", jon) == pytest.approx(0.75)  # "jon" is also one edit away, but a word of the name


def test_user_json_writes_what_user_serializer_writes(rf, people):
    from accounts.serializers import UserSerializer, user_json
    from social.graph.selectors import with_relations

    viewer = UserFactory(username="viewer", name="Vee Viewer")  # factory names are random: one could be a "Jo"
    social.follow_create(follower=viewer, followee=people["john"])
    social.mute_create(muter=viewer, muted=people["mary"])
    request = rf.get("/")
    for watcher in (viewer, None):
        from django.contrib.auth.models import AnonymousUser

        for person in with_relations(watcher or AnonymousUser(), [*people.values(), viewer]):
            assert user_json(person, request) == UserSerializer(person, context={"request": request}).data


def test_hashtag_suggestions_most_used_first_and_only_what_the_viewer_can_read(client, people):
    me, hidden = UserFactory(username="me"), UserFactory(username="hidden", is_private=True)
    post(people["mary"], "#TeaTime once")
    post(people["mary"], "#teatime twice")
    post(people["john"], "#tealeaf and #coffee")
    post(hidden, "#teasecret only my followers see")
    assert client.get("/search/hashtags", {"q": "tea"}).status_code == 302  # the compose box's: signed in only
    client.force_login(me)
    html = client.get("/search/hashtags", {"q": "Tea"}).content.decode()
    assert html.index('data-insert="#teatime"') < html.index('data-insert="#tealeaf"')
    assert "2 posts" in html and "1 post<" in html
    assert "coffee" not in html and "teasecret" not in html
    assert 'role="option"' in html and html.count('aria-selected="true"') == 1
    for hostile in ("", "#", "'; --", "%", "_", "<script>", "x" * 500):
        response = client.get("/search/hashtags", {"q": hostile})
        assert response.status_code == 200 and "<script>" not in response.content.decode()
