"""Mastodon's polls, reports, trends and search over Chirp's services and selectors (issue 22)."""

from datetime import timedelta

import pytest

from social.graph import services as graph_services
from social.moderation.models import Report
from tests.factories import UserFactory
from tests.mastodon.helpers import masto
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.models import PollVote

pytestmark = pytest.mark.django_db


def _poll(author):
    return post(author, "which?", poll_choices=["tea", "coffee"], poll_duration=timedelta(hours=1))


def test_poll_get_and_vote(user):
    tweet = _poll(UserFactory())
    api = masto(user)
    poll_id = api.get(f"/api/v1/statuses/{tweet.pk}").json()["poll"]["id"]
    got = api.get(f"/api/v1/polls/{poll_id}")
    assert got.status_code == 200 and got.json()["voted"] is False
    voted = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices[]": ["1"]})
    assert voted.status_code == 200
    assert voted.json()["voted"] is True and voted.json()["own_votes"] == [1]
    assert voted.json()["options"][1]["votes_count"] == 1
    again = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices": [0]}, format="json")
    assert again.status_code == 409 and PollVote.objects.count() == 1


@pytest.mark.parametrize("choices", [[], [0, 1], [2], ["x"], [-1], ["²"]])
def test_poll_bad_choices_are_422_and_vote_nothing(user, choices):
    tweet = _poll(UserFactory())
    api = masto(user)
    poll_id = api.get(f"/api/v1/statuses/{tweet.pk}").json()["poll"]["id"]
    assert api.post(f"/api/v1/polls/{poll_id}/votes", {"choices": choices}, format="json").status_code == 422
    assert not PollVote.objects.exists()


def test_a_multiple_poll_takes_several_choices(user):
    tweet = post(UserFactory(), "which?", poll_choices=["tea", "coffee", "juice"], poll_duration=timedelta(hours=1),
                 poll_multiple=True)  # fmt: skip
    api = masto(user)
    poll_id = api.get(f"/api/v1/statuses/{tweet.pk}").json()["poll"]["id"]
    voted = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices[]": ["2", "0"]})
    assert voted.status_code == 200, voted.content
    body = voted.json()
    assert body["multiple"] is True and body["own_votes"] == [0, 2] and body["voted"] is True
    assert (body["votes_count"], body["voters_count"]) == (2, 1)
    assert [o["votes_count"] for o in body["options"]] == [1, 0, 1]
    assert api.get(f"/api/v1/polls/{poll_id}").json()["own_votes"] == [0, 2]
    again = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices": [1]}, format="json")
    assert again.status_code == 409 and PollVote.objects.count() == 2  # one ballot per person, final


@pytest.mark.parametrize(
    "choices",
    [[], [0, 0], [1, 2, 1], [3], [0, 3], [0, 1, 2, 0, 1], ["x"], [True], [1.5], [None], ["0", "-1"], "0,1"],
)
def test_bad_choices_on_a_multiple_poll_are_422_and_vote_nothing(user, choices):
    tweet = post(UserFactory(), "which?", poll_choices=["tea", "coffee", "juice"], poll_duration=timedelta(hours=1),
                 poll_multiple=True)  # fmt: skip
    api = masto(user)
    poll_id = api.get(f"/api/v1/statuses/{tweet.pk}").json()["poll"]["id"]
    response = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices": choices}, format="json")
    assert response.status_code == 422, response.content
    assert "error" in response.json() and not PollVote.objects.exists()


def test_several_choices_on_a_single_poll_say_why(user):
    tweet = _poll(UserFactory())
    api = masto(user)
    poll_id = api.get(f"/api/v1/statuses/{tweet.pk}").json()["poll"]["id"]
    response = api.post(f"/api/v1/polls/{poll_id}/votes", {"choices[]": ["0", "1"]})
    assert response.status_code == 422 and "takes one choice" in response.json()["error"]
    assert not PollVote.objects.exists()


def test_poll_of_a_post_the_caller_cannot_see_is_404(user):
    locked = UserFactory(is_private=True)
    tweet = _poll(locked)
    poll_id = tweet.poll.pk
    api = masto(user)
    assert api.get(f"/api/v1/polls/{poll_id}").status_code == 404
    assert api.post(f"/api/v1/polls/{poll_id}/votes", {"choices": [0]}, format="json").status_code == 404
    assert api.get("/api/v1/polls/999999").status_code == 404
    assert masto(user, "read").post(f"/api/v1/polls/{poll_id}/votes", {"choices": [0]}).status_code == 403


def test_reports(user):
    bad = UserFactory()
    posts = [post(bad, "spam one"), post(bad, "spam two")]
    api = masto(user)
    made = api.post("/api/v1/reports", {"account_id": bad.pk, "status_ids": [p.pk for p in posts],
                                        "comment": "ads", "category": "spam"}, format="json")  # fmt: skip
    assert made.status_code == 200
    assert made.json()["target_account"]["id"] == str(bad.pk)
    assert sorted(made.json()["status_ids"]) == sorted(str(p.pk) for p in posts)
    assert Report.objects.filter(reporter=user, target_type="tweet", reason="spam").count() == 2
    account = api.post("/api/v1/reports", {"account_id": bad.pk, "category": "violation"})
    assert account.status_code == 200
    assert Report.objects.get(target_type="user").reason == "abuse"


def test_report_bad_input_changes_nothing(user):
    bad, other = UserFactory(), UserFactory()
    theirs, elses = post(bad, "one"), post(other, "two")
    api = masto(user)
    cases = [
        {"account_id": bad.pk, "category": "rude"},
        {"account_id": bad.pk, "status_ids": [theirs.pk, elses.pk]},  # a post not the account's
        {"account_id": bad.pk, "status_ids": ["x"]},
        {"account_id": bad.pk, "comment": "x" * 1001},
        {"account_id": bad.pk, "category": ["spam"]},
        {"account_id": bad.pk, "comment": ["x"]},
    ]
    for body in cases:
        assert api.post("/api/v1/reports", body, format="json").status_code == 422, body
    assert api.post("/api/v1/reports", {"account_id": 999999}, format="json").status_code == 404
    assert api.post("/api/v1/reports", {"account_id": user.pk}, format="json").status_code == 403
    assert not Report.objects.exists()
    assert masto(user, "read write:statuses").post("/api/v1/reports", {"account_id": bad.pk}).status_code == 403


def test_trends(user, api_client, django_assert_max_num_queries):
    popular = post(UserFactory(), "big #news")
    for _ in range(2):
        tweet_services.like_create(user=UserFactory(), tweet_id=popular.pk)
    quiet = post(UserFactory(), "small")
    hidden = post(UserFactory(is_private=True), "locked")
    tags = api_client.get("/api/v1/trends/tags")
    assert tags.status_code == 200 and isinstance(tags.json(), list)
    with django_assert_max_num_queries(12):
        statuses = masto(user).get("/api/v1/trends/statuses").json()
    ids = [s["id"] for s in statuses]
    assert ids[:2] == [str(popular.pk), str(quiet.pk)] and str(hidden.pk) not in ids
    assert api_client.get("/api/v1/trends/links").json() == []


def test_search(user, django_assert_max_num_queries):
    birdy = UserFactory(username="birdwatcher")
    shown = post(birdy, "a #birdsong morning")
    locked = UserFactory(username="birdlocked", is_private=True)
    post(locked, "hidden birdsong")
    blocker = UserFactory(username="birdblocker")
    graph_services.block_create(blocker=blocker, blocked=user)
    api = masto(user)
    with django_assert_max_num_queries(16):
        found = api.get("/api/v2/search", {"q": "bird"}).json()
    names = [a["username"] for a in found["accounts"]]
    assert "birdwatcher" in names and "birdblocker" not in names
    statuses = api.get("/api/v2/search", {"q": "birdsong", "type": "statuses"}).json()
    assert [s["id"] for s in statuses["statuses"]] == [str(shown.pk)] and statuses["accounts"] == []
    tags = api.get("/api/v2/search", {"q": "#birdso", "type": "hashtags"}).json()["hashtags"]
    assert [t["name"] for t in tags] == ["birdsong"]
    assert api.get("/api/v2/search", {"q": "bird", "type": "people"}).status_code == 422
    assert api.get("/api/v2/search", {"q": ""}).status_code == 422
    for odd in ("@", "#", "from:", '"', "-", "%", "\\"):
        assert api.get("/api/v2/search", {"q": odd, "limit": "x", "offset": "-5"}).status_code == 200, odd
    assert api.get("/api/v2/search", {"q": "bird", "offset": 1, "type": "accounts"}).status_code == 200
    assert masto(user, "read:accounts").get("/api/v2/search", {"q": "bird"}).status_code == 403
