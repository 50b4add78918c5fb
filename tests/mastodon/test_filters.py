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


# --- v1 filters (a shared path: Mastodon apps' tokens get Mastodon's, Chirp's tokens Chirp's) ---------

V1_KEYS = {"id", "phrase", "context", "expires_at", "irreversible", "whole_word"}


def test_v1_filters_are_muted_words_too(user, django_assert_max_num_queries):
    api = masto(user)
    made = api.post("/api/v1/filters", {"phrase": "finale", "context[]": ["home"], "irreversible": "false",
                                        "whole_word": "false", "expires_in": "86400"})  # fmt: skip
    assert made.status_code == 200, made.content
    body = made.json()
    word = MutedWord.objects.get(user=user)
    assert set(body) == V1_KEYS and body["id"] == str(word.pk) and word.context == "home"
    assert body["phrase"] == "finale" and body["context"] == ["home"] and body["expires_at"]
    assert body["irreversible"] is True and body["whole_word"] is True  # Chirp's words always hide, whole words
    graph_services.muted_word_create(user=user, phrase="ads", context="search")
    with django_assert_max_num_queries(6):
        listed = api.get("/api/v1/filters").json()
    assert [f["phrase"] for f in listed] == ["ads", "finale"] and listed[0]["context"] == ["public"]
    path = f"/api/v1/filters/{word.pk}"
    assert api.get(path).json() == body
    changed = api.put(path, {"phrase": "season finale", "context": ["home", "thread"], "expires_in": ""},
                      format="json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert changed.json()["phrase"] == "season finale" and changed.json()["expires_at"] is None
    word.refresh_from_db()
    assert word.context == "everywhere"
    # v1 and v2 are two views of one word.
    assert api.get(f"/api/v2/filters/{word.pk}").json()["title"] == "season finale"
    assert api.delete(path).status_code == 200 and api.get(path).status_code == 404
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["ads"]


@pytest.mark.parametrize(
    "body",
    [
        {"context": ["home"]},  # no phrase
        {"phrase": "x"},  # no context
        {"phrase": "x", "context": ["elsewhere"]},
        {"phrase": ["x"], "context": ["home"]},
        {"phrase": "   ", "context": ["home"]},
        {"phrase": "x" * 101, "context": ["home"]},
        {"phrase": "x", "context": ["home"], "expires_in": 1800},
        {"phrase": "x", "context": ["home", 1]},
    ],
)
def test_v1_bad_input_is_422_and_mutes_nothing(user, body):
    response = masto(user).post("/api/v1/filters", body, format="json")
    assert response.status_code == 422 and "error" in response.json()
    assert not MutedWord.objects.exists()


def test_v1_someone_elses_filter_is_404_and_bad_updates_change_nothing(user):
    theirs = graph_services.muted_word_create(user=UserFactory(), phrase="secret")
    mine = graph_services.muted_word_create(user=user, phrase="mine", context="home")
    api = masto(user)
    for method in (api.get, api.delete):
        assert method(f"/api/v1/filters/{theirs.pk}").status_code == 404
    assert api.put(f"/api/v1/filters/{theirs.pk}", {"phrase": "x"}, format="json").status_code == 404
    assert api.put(f"/api/v1/filters/{mine.pk}", {"phrase": "ok", "expires_in": 5}, format="json").status_code == 422
    assert api.put(f"/api/v1/filters/{mine.pk}", ["junk"], format="json").status_code == 422
    assert api.post("/api/v1/filters", "junk", format="json").status_code == 422
    mine.refresh_from_db()
    assert mine.phrase == "mine" and mine.expires_at is None
    assert MutedWord.objects.get(pk=theirs.pk).phrase == "secret"


def test_v1_filters_are_shared_chirp_tokens_get_chirps_answer(user, user_api):
    word = graph_services.muted_word_create(user=user, phrase="crypto", context="home")
    chirp_list = user_api.get("/api/v1/filters")
    assert chirp_list.status_code == 200 and set(chirp_list.json()) >= {"filters", "nextCursor"}
    assert masto(user).get("/api/v1/filters").json()[0]["phrase"] == "crypto"
    chirp_one = user_api.get(f"/api/v1/filters/{word.pk}")
    assert chirp_one.status_code == 200 and "irreversible" not in str(chirp_one.json())
    assert "irreversible" in masto(user).get(f"/api/v1/filters/{word.pk}").json()
    made = user_api.post("/api/v1/filters", {"phrase": "nfts", "context": "home"}, format="json")
    assert made.status_code == 201, made.content  # Chirp's create
    assert user_api.delete(f"/api/v1/filters/{word.pk}").status_code == 200
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["nfts"]


def test_v1_scopes(user):
    assert masto(user, "read:filters").get("/api/v1/filters").status_code == 200
    assert masto(user, "read:filters").post("/api/v1/filters", {"phrase": "x", "context": ["home"]}).status_code == 403
    assert masto(user, "read:lists").get("/api/v1/filters").status_code == 403
    made = masto(user, "write:filters").post("/api/v1/filters", {"phrase": "x", "context[]": ["home"]})
    assert made.status_code == 200


# --- v2 keywords: one per filter, readable and changeable ----------------------------------------


def test_v2_keywords_read_and_change_but_one_per_filter(user):
    word = graph_services.muted_word_create(user=user, phrase="spoiler", context="home")
    theirs = graph_services.muted_word_create(user=UserFactory(), phrase="secret")
    api = masto(user)
    path = f"/api/v2/filters/keywords/{word.pk}"
    assert api.get(path).json() == {"id": str(word.pk), "keyword": "spoiler", "whole_word": True}
    changed = api.put(path, {"keyword": "spoilers", "whole_word": False}, format="json")
    assert changed.status_code == 200 and changed.json()["keyword"] == "spoilers"
    assert api.get(f"/api/v2/filters/{word.pk}").json()["title"] == "spoilers"
    assert api.put(path, {"keyword": 5}, format="json").status_code == 422
    added = api.post(f"/api/v2/filters/{word.pk}/keywords", {"keyword": "more"}, format="json")
    assert added.status_code == 422 and "one keyword" in added.json()["error"]
    assert api.delete(path).status_code == 422
    for method in (api.get, api.delete):
        assert method(f"/api/v2/filters/keywords/{theirs.pk}").status_code == 404
    assert api.put(f"/api/v2/filters/keywords/{theirs.pk}", {"keyword": "x"}, format="json").status_code == 404
    assert api.post(f"/api/v2/filters/{theirs.pk}/keywords", {"keyword": "x"}, format="json").status_code == 404
    assert list(MutedWord.objects.order_by("pk").values_list("phrase", flat=True)) == ["spoilers", "secret"]
    assert masto(user, "read:filters").put(path, {"keyword": "x"}, format="json").status_code == 403
