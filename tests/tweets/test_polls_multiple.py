"""Multiple-choice polls: made through the service, the API and the page; a ballot of several choices,
counted once per person (voters) and once per choice (votes); still one final ballot per person; and
every malformed ballot refused with nothing changed."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from config.kernel.errors import Conflict, NotFound, ServiceError
from notifications.models import Notification
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import poll_votes, tasks
from tweets.models import Poll, PollChoice, PollVote, Tweet

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def poll_post(author, choices=("Cats", "Dogs", "Fish"), multiple=True):
    return post(author, "Which pets?", poll_choices=list(choices), poll_duration=DAY, poll_multiple=multiple)


def snapshot():
    """Everything a refused ballot must leave as it was."""
    return (
        list(PollChoice.objects.order_by("pk").values_list("votes_count", flat=True)),
        list(Poll.objects.order_by("pk").values_list("votes_count", "voters_count")),
        PollVote.objects.count(),
    )


def api_vote(client, tweet, body):
    return client.post(f"/api/v1/tweets/{tweet.pk}/poll/votes", body, format="json")


@pytest.fixture
def many(other_user):
    return poll_post(other_user)


@pytest.fixture
def single(other_user):
    return poll_post(other_user, multiple=False)


# --- the service ---------------------------------------------------------------------------------------


def test_a_ballot_of_several_choices_counts_each_choice_and_the_voter_once(many, user):
    poll_votes.poll_vote(user=user, tweet_id=many.pk, positions=[3, 1])
    poll = Poll.objects.get(tweet=many)
    assert poll.multiple is True and (poll.votes_count, poll.voters_count) == (2, 1)
    assert list(poll.choices.values_list("votes_count", flat=True)) == [1, 0, 1]
    rows = PollVote.objects.filter(user=user).order_by("pk")
    assert [(r.choice.position, r.ballot) for r in rows] == [(3, True), (1, False)]  # one ballot row per person


def test_a_single_choice_poll_counts_votes_and_voters_alike(single, user):
    poll_votes.poll_vote(user=user, tweet_id=single.pk, positions=[2])
    poll = Poll.objects.get(tweet=single)
    assert poll.multiple is False and (poll.votes_count, poll.voters_count) == (1, 1)


def test_a_second_ballot_is_refused_even_in_a_multiple_poll(many, user):
    poll_votes.poll_vote(user=user, tweet_id=many.pk, positions=[1])
    before = snapshot()
    with pytest.raises(Conflict, match="already voted"):
        poll_votes.poll_vote(user=user, tweet_id=many.pk, positions=[2, 3])  # other choices: still a second ballot
    assert snapshot() == before


def test_several_choices_on_a_single_choice_poll_are_refused(single, user):
    before = snapshot()
    with pytest.raises(ServiceError, match="takes one choice") as caught:
        poll_votes.poll_vote(user=user, tweet_id=single.pk, positions=[1, 2])
    assert caught.value.status == 400 and snapshot() == before


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        ([], "at least one"),
        ([1, 1], "once"),
        ([2, 3, 2], "once"),
        ([1, 2, 3, 4, 1], "at most 4"),
        ([0], "no such choice"),
        ([5], "no such choice"),
        ([-1], "no such choice"),
        (["1"], "whole numbers"),
        ([True], "whole numbers"),
        ([1.0], "whole numbers"),
        ([None], "whole numbers"),
        ("12", "at least one"),  # not a list
        (None, "at least one"),
    ],
)
def test_a_malformed_ballot_is_a_400_and_changes_nothing(many, user, positions, message):
    before = snapshot()
    with pytest.raises(ServiceError, match=message) as caught:
        poll_votes.poll_vote(user=user, tweet_id=many.pk, positions=positions)
    assert caught.value.status == 400 and snapshot() == before


def test_a_ballot_naming_a_choice_the_poll_lacks_is_a_404_and_changes_nothing(many, user):
    before = snapshot()
    with pytest.raises(NotFound):
        poll_votes.poll_vote(user=user, tweet_id=many.pk, positions=[1, 4])  # three choices: 4 is none of them
    assert snapshot() == before


def test_the_end_is_announced_to_each_voter_once_however_many_choices(many, other_user):
    ann, ben = UserFactory(username="ann"), UserFactory(username="ben")
    poll_votes.poll_vote(user=ann, tweet_id=many.pk, positions=[1, 2, 3])
    poll_votes.poll_vote(user=ben, tweet_id=many.pk, positions=[2])
    Poll.objects.filter(tweet=many).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert tasks.end_polls_pending() == 1
    told = Notification.objects.filter(verb="poll_ended").values_list("recipient__username", flat=True)
    assert sorted(told) == ["ann", "ben", "bob"]


# --- Chirp's API ---------------------------------------------------------------------------------------


def test_the_api_makes_a_multiple_poll_and_votes_several_choices(user_api, api_as, other_user):
    made = api_as(other_user).post(
        "/api/v1/tweets",
        {"text": "Pets?", "poll": {"choices": ["Cats", "Dogs", "Fish"], "durationMinutes": 60, "multiple": True}},
        format="json",
    )
    assert made.status_code == 201, made.content
    poll = made.json()["tweetData"]["poll"]
    assert poll["multiple"] is True and poll["votersCount"] == 0 and poll["ownChoices"] == []
    tweet = Tweet.objects.get(pk=made.json()["tweetId"])
    voted = api_vote(user_api, tweet, {"choices": [1, 3]})
    assert voted.status_code == 201, voted.content
    poll = voted.json()["poll"]
    assert (poll["votesCount"], poll["votersCount"]) == (2, 1)
    assert poll["ownChoices"] == [1, 3] and poll["ownChoice"] == 1 and poll["voted"] is True
    assert [c["votesCount"] for c in poll["choices"]] == [1, 0, 1]
    again = api_vote(user_api, tweet, {"choices": [2]})
    assert again.status_code == 409


def test_a_poll_is_single_choice_unless_asked(user_api):
    made = user_api.post(
        "/api/v1/tweets", {"text": "One?", "poll": {"choices": ["a", "b"], "durationMinutes": 60}}, format="json"
    )
    assert made.json()["tweetData"]["poll"]["multiple"] is False
    assert Poll.objects.get().multiple is False


def test_the_single_choice_field_still_votes(user_api, single):
    response = api_vote(user_api, single, {"choice": 2})
    assert response.status_code == 201
    assert response.json()["poll"]["ownChoices"] == [2] and response.json()["poll"]["votersCount"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"choices": []},
        {"choices": [1, 1]},
        {"choices": [0]},
        {"choices": [5]},
        {"choices": [1, 2, 3, 4, 1]},
        {"choices": ["x"]},
        {"choices": [1.5]},
        {"choices": [True]},
        {"choices": [None]},
        {"choices": "1"},
        {"choices": {"1": 1}},
        {"choice": 1, "choices": [2]},
        {},
    ],
)
def test_a_malformed_api_ballot_is_a_400_and_changes_nothing(user_api, many, body):
    before = snapshot()
    response = api_vote(user_api, many, body)
    assert response.status_code == 400, response.content
    assert snapshot() == before


def test_several_choices_on_a_single_poll_through_the_api_is_a_400(user_api, single):
    response = api_vote(user_api, single, {"choices": [1, 2]})
    assert response.status_code == 400
    assert "takes one choice" in response.content.decode() and PollVote.objects.count() == 0


def test_a_choice_the_poll_lacks_is_a_404_through_the_api(user_api, many):
    response = api_vote(user_api, many, {"choices": [2, 4]})
    assert response.status_code == 404 and "choices" in response.json()["fields"]
    assert PollVote.objects.count() == 0


# --- the page ------------------------------------------------------------------------------------------


def test_the_compose_form_can_make_a_multiple_poll(client_logged_in, user):
    html = client_logged_in.get("/").content.decode()
    assert "Let people choose more than one" in html and 'name="poll_multiple"' in html
    response = client_logged_in.post(
        "/compose",
        {"text": "Pick", "form_token": uuid.uuid4(), "poll_choice_1": "a", "poll_choice_2": "b",
         "poll_duration": "60", "poll_multiple": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Poll.objects.get(tweet__author=user).multiple is True


def test_the_compose_form_makes_a_single_poll_by_default(client_logged_in, user):
    client_logged_in.post(
        "/compose",
        {"text": "Pick", "form_token": uuid.uuid4(), "poll_choice_1": "a", "poll_choice_2": "b", "poll_duration": "60"},
    )
    assert Poll.objects.get(tweet__author=user).multiple is False


def test_a_multiple_poll_card_has_checkboxes_and_one_vote_button(client_logged_in, many, single):
    html = client_logged_in.get(f"/@bob/status/{many.pk}").content.decode()
    card = html[html.index(f'id="poll-{many.pk}"') :]
    card = card[: card.index("</form>")]
    assert card.count('type="checkbox" name="choice"') == 3 and 'type="radio"' not in card
    assert card.count('class="button button-small button-accent poll-vote"') == 1 and "Pick one or more" in card
    html = client_logged_in.get(f"/@bob/status/{single.pk}").content.decode()
    card = html[html.index(f'id="poll-{single.pk}"') :]
    card = card[: card.index("</form>")]
    assert card.count('type="radio" name="choice"') == 3 and 'type="checkbox"' not in card


def test_a_page_vote_with_several_boxes_ticked_and_percentages_of_voters(client_logged_in, many, user):
    poll_votes.poll_vote(user=UserFactory(username="ann"), tweet_id=many.pk, positions=[1])
    response = client_logged_in.post(f"/tweets/{many.pk}/poll/vote", {"choice": ["1", "2"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    # Two people voted: Cats 2 of 2 (100%), Dogs 1 of 2 (50%), Fish 0; the meta line counts people.
    assert html.count('value="100"') == 1 and html.count('value="50"') == 1 and html.count('value="0"') == 1
    assert "2 people ·" in html and html.count("(your vote)") == 2
    assert sorted(PollVote.objects.filter(user=user).values_list("choice__position", flat=True)) == [1, 2]


def test_several_boxes_on_a_single_poll_page_are_refused(client_logged_in, single):
    response = client_logged_in.post(f"/tweets/{single.pk}/poll/vote", {"choice": ["1", "2"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "takes one choice" in response.content.decode()
    assert PollVote.objects.count() == 0


@pytest.mark.parametrize("choice", [[], ["1", "1"], ["1", "x"], ["0"], ["1", "2", "3", "3"]])
def test_a_malformed_page_ballot_changes_nothing(client_logged_in, many, choice):
    response = client_logged_in.post(f"/tweets/{many.pk}/poll/vote", {"choice": choice}, follow=True)
    assert response.status_code in (200, 400)
    assert PollVote.objects.count() == 0


def test_a_quoted_multiple_poll_counts_people(client_logged_in, many, user):
    poll_votes.poll_vote(user=UserFactory(username="ann"), tweet_id=many.pk, positions=[1, 2])
    quote = post(user, "Look at this", quote_of_id=many.pk)
    html = client_logged_in.get(f"/@alice/status/{quote.pk}").content.decode()
    assert "Poll · 1 person" in html and "Poll · 2 votes" not in html
