"""Mastodon's filters (v2) over Chirp's muted words (issue 22)."""

import pytest

from social.graph import services as graph_services
from social.graph.models import MutedWord
from tests.factories import UserFactory
from tests.mastodon.helpers import masto
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


def test_a_filter_is_a_muted_word_and_hides_from_home(user):
    friend = UserFactory()
    graph_services.follow_create(follower=user, followee=friend)
    api = masto(user)
    made = api.post(
        "/api/v2/filters",
        {"title": "Spoilers", "context": ["home"], "filter_action": "warn", "expires_in": 86400,
         "keywords_attributes": [{"keyword": "finale", "whole_word": False}]},
        format="json",
    )  # fmt: skip
    assert made.status_code == 200
    body = made.json()
    word = MutedWord.objects.get(user=user)
    assert word.phrase == "finale" and word.context == "home" and word.expires_at is not None
    assert body["id"] == str(word.pk) and body["context"] == ["home"] and body["filter_action"] == "hide"
    assert body["keywords"] == [{"id": str(word.pk), "keyword": "finale", "whole_word": True}]
    kept, hidden = post(friend, "a walk"), post(friend, "the finale was great")
    ids = [s["id"] for s in api.get("/api/v1/timelines/home").json()]
    assert str(kept.pk) in ids and str(hidden.pk) not in ids  # Chirp's one rule, applied to Mastodon's home


def test_form_input_list_get_update_delete(user, django_assert_max_num_queries):
    api = masto(user)
    made = api.post("/api/v2/filters", {"title": "crypto", "context[]": ["home", "public"], "expires_in": ""})
    assert made.status_code == 200 and made.json()["expires_at"] is None
    fid = made.json()["id"]
    assert MutedWord.objects.get().context == "everywhere"
    graph_services.muted_word_create(user=user, phrase="ads", context="search")
    with django_assert_max_num_queries(6):
        listed = api.get("/api/v2/filters").json()
    assert [f["title"] for f in listed] == ["ads", "crypto"] and listed[0]["context"] == ["public"]
    assert api.get(f"/api/v2/filters/{fid}").json()["title"] == "crypto"
    assert api.get(f"/api/v2/filters/{fid}/keywords").json()[0]["keyword"] == "crypto"
    changed = api.put(f"/api/v2/filters/{fid}", {"title": "bitcoin", "context": ["notifications"]}, format="json")
    assert changed.json()["title"] == "bitcoin" and changed.json()["context"] == ["notifications"]
    assert api.delete(f"/api/v2/filters/{fid}").status_code == 200
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["ads"]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "context": ["home"], "expires_in": 1800},  # not one of Chirp's durations
        {"title": "x", "context": ["elsewhere"]},
        {"title": "x"},  # no context
        {"context": ["home"]},  # no title nor keyword
        {"title": "x", "context": ["home"], "filter_action": "explode"},
        {"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": "a"}, {"keyword": "b"}]},
        {"title": "x" * 101, "context": ["home"]},
        {"title": "x", "context": ["home"], "keywords_attributes": "nope"},
        {"title": "x", "context": [["home"]]},
        {"title": "x", "context": ["home", 1]},
        {"title": "x", "context": ["home"], "filter_action": ["hide"]},
        {"title": ["x"], "context": ["home"]},
        {"title": "x", "context": ["home"], "expires_in": "2.5"},
    ],
)
def test_bad_input_is_422_and_mutes_nothing(user, body):
    response = masto(user).post("/api/v2/filters", body, format="json")
    assert response.status_code == 422 and "error" in response.json()
    assert not MutedWord.objects.exists()


def test_someone_elses_filter_is_404_and_bad_update_changes_nothing(user):
    theirs = graph_services.muted_word_create(user=UserFactory(), phrase="secret")
    mine = graph_services.muted_word_create(user=user, phrase="mine", context="home")
    api = masto(user)
    assert api.get(f"/api/v2/filters/{theirs.pk}").status_code == 404
    assert api.put(f"/api/v2/filters/{theirs.pk}", {"title": "x"}, format="json").status_code == 404
    assert api.delete(f"/api/v2/filters/{theirs.pk}").status_code == 404
    assert api.get("/api/v2/filters/nope").status_code == 404
    bad = api.put(f"/api/v2/filters/{mine.pk}", {"title": "ok", "expires_in": 5}, format="json")
    assert bad.status_code == 422
    mine.refresh_from_db()
    assert mine.phrase == "mine" and mine.expires_at is None
    assert MutedWord.objects.get(pk=theirs.pk).phrase == "secret"


def test_scopes(user):
    assert masto(user, "read:filters").get("/api/v2/filters").status_code == 200
    assert masto(user, "read:filters").post("/api/v2/filters", {"title": "x", "context": ["home"]}).status_code == 403
    assert masto(user, "read:lists").get("/api/v2/filters").status_code == 403
    assert masto(user, "write:filters").post("/api/v2/filters", {"title": "x", "context": ["home"]}).status_code == 200
