"""Polls: making one, voting once (even at the same moment), hidden results, the end, and bad input."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from config.kernel.errors import ServiceError
from social.graph import services as graph
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Poll, PollChoice, PollVote, Tweet

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def poll_post(author, choices=("Cats", "Dogs", "Fish"), duration=DAY, text="Which pet?"):
    return post(author, text, poll_choices=list(choices), poll_duration=duration)


def end(tweet):
    Poll.objects.filter(tweet=tweet).update(closes_at=timezone.now() - timedelta(seconds=1))


def snapshot():
    """Everything a refused write must leave as it was."""
    return (
        Tweet.objects.count(),
        Poll.objects.count(),
        list(PollChoice.objects.order_by("pk").values_list("votes_count", flat=True)),
        list(Poll.objects.order_by("pk").values_list("votes_count", flat=True)),
        PollVote.objects.count(),
    )


@pytest.fixture
def poll(other_user):
    return poll_post(other_user)


def vote(client, tweet, choice):
    return client.post(f"/api/v1/tweets/{tweet.pk}/poll/votes", {"choice": choice}, format="json")


# --- making a poll ------------------------------------------------------------------------------------


def test_a_poll_is_made_with_its_post(user):
    before = timezone.now()
    tweet = poll_post(user, choices=["  Cats ", "Dogs"], duration=timedelta(minutes=5))
    made = Poll.objects.get(tweet=tweet)
    assert tweet.has_poll
    assert list(made.choices.values_list("position", "text", "votes_count")) == [(1, "Cats", 0), (2, "Dogs", 0)]
    assert before + timedelta(minutes=5) <= made.closes_at <= timezone.now() + timedelta(minutes=5)
    assert made.votes_count == 0 and made.notified_at is None


def test_api_creates_a_poll_and_the_author_sees_it(user_api):
    response = user_api.post(
        "/api/v1/tweets",
        {"text": "Best season?", "poll": {"choices": ["Spring", "Summer", "Autumn", "Winter"], "durationMinutes": 60}},
        format="json",
    )
    assert response.status_code == 201, response.content
    poll = response.json()["tweetData"]["poll"]
    assert [c["text"] for c in poll["choices"]] == ["Spring", "Summer", "Autumn", "Winter"]
    assert [c["position"] for c in poll["choices"]] == [1, 2, 3, 4]
    # The author can't vote, so sees the (empty) results at once.
    assert {c["votesCount"] for c in poll["choices"]} == {0}
    assert poll["votesCount"] == 0 and poll["closed"] is False and poll["voted"] is False
    assert poll["ownChoice"] is None and poll["closesAt"].endswith("Z")


def test_a_post_without_a_poll_says_null(user_api, user):
    tweet = post(user, "plain")
    assert user_api.get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["poll"] is None


BAD_POLLS = {
    "one choice": ({"choices": ["Only"], "durationMinutes": 60}, "2 to 4 choices"),
    "five choices": ({"choices": ["a", "b", "c", "d", "e"], "durationMinutes": 60}, "2 to 4 choices"),
    "no choices": ({"choices": [], "durationMinutes": 60}, "2 to 4 choices"),
    "26-character choice": ({"choices": ["x" * 26, "ok"], "durationMinutes": 60}, "at most 25"),
    "blank choice": ({"choices": ["  ", "ok"], "durationMinutes": 60}, "empty"),
    "four minutes": ({"choices": ["a", "b"], "durationMinutes": 4}, "5 minutes to 7 days"),
    "seven days and a minute": ({"choices": ["a", "b"], "durationMinutes": 7 * 24 * 60 + 1}, "5 minutes to 7 days"),
    "no duration": ({"choices": ["a", "b"]}, "5 minutes to 7 days"),
    "choices not a list": ({"choices": "a,b", "durationMinutes": 60}, "must be a list"),
    "a number as a choice": ({"choices": [1, 2], "durationMinutes": 60}, "must be a text"),
    "a NUL byte": ({"choices": ["a\x00", "b"], "durationMinutes": 60}, ""),
    "a huge list": ({"choices": ["a"] * 10000, "durationMinutes": 60}, "2 to 4 choices"),
    "duration as text": ({"choices": ["a", "b"], "durationMinutes": "soon"}, "5 minutes to 7 days"),
    "poll not an object": ("yes", "poll"),
}


@pytest.mark.parametrize("case", list(BAD_POLLS))
def test_bad_polls_are_refused_and_change_nothing(user_api, case):
    body, expected = BAD_POLLS[case]
    before = snapshot()
    response = user_api.post("/api/v1/tweets", {"text": "A question", "poll": body}, format="json")
    assert response.status_code == 400, response.content
    assert "error" in response.json()
    assert expected in response.content.decode()
    assert snapshot() == before


def test_a_poll_with_images_is_refused(user):
    before = snapshot()
    with pytest.raises(ServiceError, match="images or a poll"):
        post(user, "pic and poll", uploads=[(images.png_upload(), "")], poll_choices=["a", "b"], poll_duration=DAY)
    assert snapshot() == before


def test_emoji_choices_count_code_points(user):
    tweet = poll_post(user, choices=["🐈" * 25, "🐕"])
    assert PollChoice.objects.get(poll__tweet=tweet, position=1).text == "🐈" * 25


# --- voting ---------------------------------------------------------------------------------------


def test_results_are_hidden_until_one_votes(user_api, api_as, api_client, poll):
    carol = api_as(UserFactory(username="carol"))
    assert vote(carol, poll, 2).status_code == 201
    before = user_api.get(f"/api/v1/tweets/{poll.pk}").json()["tweet"]["poll"]
    assert [c["votesCount"] for c in before["choices"]] == [None, None, None]
    assert before["votesCount"] == 1 and before["voted"] is False and before["ownChoice"] is None
    signed_out = api_client.get(f"/api/v1/tweets/{poll.pk}").json()["tweet"]["poll"]
    assert [c["votesCount"] for c in signed_out["choices"]] == [None, None, None]

    response = vote(user_api, poll, 1)
    assert response.status_code == 201
    after = response.json()["poll"]
    assert [c["votesCount"] for c in after["choices"]] == [1, 1, 0]
    assert after["votesCount"] == 2 and after["voted"] is True and after["ownChoice"] == 1
    assert user_api.get(f"/api/v1/tweets/{poll.pk}").json()["tweet"]["poll"] == after


def test_voting_twice_is_a_409_that_changes_nothing(user_api, poll):
    assert vote(user_api, poll, 1).status_code == 201
    before = snapshot()
    second = vote(user_api, poll, 2)
    assert second.status_code == 409
    assert second.json()["error"] == "You already voted in this poll."
    assert snapshot() == before
    assert PollVote.objects.get().choice.position == 1


def test_an_ended_poll_takes_no_vote_and_shows_results_to_all(user_api, api_client, api_as, poll):
    assert vote(api_as(UserFactory(username="carol")), poll, 3).status_code == 201
    end(poll)
    before = snapshot()
    response = vote(user_api, poll, 1)
    assert response.status_code == 409
    assert response.json()["error"] == "This poll has ended."
    assert snapshot() == before
    shown = api_client.get(f"/api/v1/tweets/{poll.pk}").json()["tweet"]["poll"]
    assert shown["closed"] is True
    assert [c["votesCount"] for c in shown["choices"]] == [0, 0, 1]


def test_the_author_cannot_vote_in_their_own_poll(api_as, other_user, poll):
    before = snapshot()
    response = vote(api_as(other_user), poll, 1)
    assert response.status_code == 403
    assert response.json()["error"] == "You can't vote in your own poll."
    assert snapshot() == before


def test_a_choice_the_poll_lacks_is_a_404(user_api, poll):
    before = snapshot()
    response = vote(user_api, poll, 4)  # a 1-4 (as the schema allows) this three-choice poll lacks
    assert response.status_code == 404
    assert "choice" in response.json()["fields"]
    assert snapshot() == before


@pytest.mark.parametrize("choice", [0, 5, -1, "1x", None, True, 1.5, "\x00", "9" * 400])
def test_a_choice_outside_1_to_4_is_a_400(user_api, poll, choice):
    before = snapshot()
    response = vote(user_api, poll, choice)
    assert response.status_code == 400, response.content
    assert response.json()["error"]
    assert snapshot() == before


def test_a_vote_without_a_body_is_a_400(user_api, poll):
    response = user_api.post(f"/api/v1/tweets/{poll.pk}/poll/votes", {}, format="json")
    assert response.status_code == 400


def test_a_post_without_a_poll_or_no_post_is_a_404(user_api, other_user):
    plain = post(other_user, "no poll here")
    assert vote(user_api, plain, 1).status_code == 404
    assert user_api.post("/api/v1/tweets/123/poll/votes", {"choice": 1}, format="json").status_code == 404
    assert user_api.post("/api/v1/tweets/abc/poll/votes", {"choice": 1}, format="json").status_code == 404


def test_a_poll_on_a_post_you_cannot_see_is_a_404(user_api, user, other_user):
    other_user.is_private = True
    other_user.save()
    hidden = poll_post(other_user)
    before = snapshot()
    assert vote(user_api, hidden, 1).status_code == 404
    assert user_api.get(f"/api/v1/tweets/{hidden.pk}").status_code == 404
    assert snapshot() == before
    graph.follow_create(follower=user, followee=other_user)  # a request, not yet approved
    assert vote(user_api, hidden, 1).status_code == 404


def test_a_block_refuses_the_vote(user_api, user, other_user, poll):
    graph.block_create(blocker=other_user, blocked=user)
    before = snapshot()
    assert vote(user_api, poll, 1).status_code in (403, 404)
    assert snapshot() == before


def test_signed_out_cannot_vote(api_client, poll):
    assert vote(api_client, poll, 1).status_code == 401
    assert PollVote.objects.count() == 0


def test_a_retweet_id_votes_in_the_original(user_api, api_as, poll):
    pat = UserFactory(username="pat")
    from tweets import services

    _, retweet = services.retweet_create(user=pat, tweet_id=poll.pk)
    assert vote(user_api, retweet, 2).status_code == 201
    assert PollChoice.objects.get(poll__tweet=poll, position=2).votes_count == 1


def test_idempotency_key_replays_the_first_answer(user_api, poll):
    url = f"/api/v1/tweets/{poll.pk}/poll/votes"
    first = user_api.post(url, {"choice": 1}, format="json", HTTP_IDEMPOTENCY_KEY="vote-1")
    again = user_api.post(url, {"choice": 1}, format="json", HTTP_IDEMPOTENCY_KEY="vote-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Poll.objects.get(tweet=poll).votes_count == 1


def test_percentages_round_and_sum_the_counts(api_as, other_user, poll):
    voters = [api_as(UserFactory(username=f"v{i}")) for i in range(3)]
    for client, choice in zip(voters, (1, 1, 2), strict=True):
        assert vote(client, poll, choice).status_code == 201
    from tweets.selectors import tweet_for_viewer

    view = tweet_for_viewer(poll.pk, other_user).poll_view
    assert [(c.votes, c.percent) for c in view.choices] == [(2, 67), (1, 33), (0, 0)]
    assert Poll.objects.filter(tweet=poll, votes_count=F("votes_count")).get().votes_count == 3


def test_a_poll_post_and_the_same_words_without_a_poll_are_two_posts(user):
    """The two-minute "same post again" check leaves polls out, both ways."""
    asked = poll_post(user, text="Same words")
    again = poll_post(user, text="Same words")
    plain = post(user, "Same words")
    assert len({asked.pk, again.pk, plain.pk}) == 3
    assert not getattr(plain, "repeated", False)
    assert post(user, "Same words").pk == plain.pk  # a plain retry is still caught
