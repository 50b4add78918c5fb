"""/api/v1/filters and Settings → Muted words: one's own list only, clear refusals, a fixed number of queries."""

import pytest

from social.graph import services as social
from social.graph.models import MutedWord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEYS = {"id", "phrase", "context", "expiresAt", "createdAt"}


def test_create_list_get_patch_delete(user_api, user):
    created = user_api.post("/api/v1/filters", {"phrase": "Spoilers", "context": "home"}, format="json")
    assert created.status_code == 201
    word = created.json()["filter"]
    assert set(word) == KEYS and word["phrase"] == "Spoilers" and word["context"] == "home"
    assert word["expiresAt"] is None and isinstance(word["id"], str)
    day = user_api.post("/api/v1/filters", {"phrase": "#crypto", "expiresIn": 86400}, format="json").json()["filter"]
    assert day["context"] == "everywhere" and day["expiresAt"].endswith("Z")

    listed = user_api.get("/api/v1/filters").json()
    assert [f["phrase"] for f in listed["filters"]] == ["#crypto", "Spoilers"] and listed["nextCursor"] is None
    assert user_api.get(f"/api/v1/filters/{word['id']}").json()["filter"] == word

    patched = user_api.patch(
        f"/api/v1/filters/{word['id']}", {"context": "search", "expiresIn": 604800}, format="json"
    ).json()["filter"]
    assert patched["context"] == "search" and patched["expiresAt"] is not None and patched["phrase"] == "Spoilers"
    forever = user_api.patch(f"/api/v1/filters/{word['id']}", {"expiresIn": None}, format="json").json()["filter"]
    assert forever["expiresAt"] is None

    assert user_api.delete(f"/api/v1/filters/{word['id']}").json() == {"message": "Unmuted."}
    assert user_api.get(f"/api/v1/filters/{word['id']}").status_code == 404
    assert [f["phrase"] for f in user_api.get("/api/v1/filters").json()["filters"]] == ["#crypto"]


def test_other_peoples_filters_are_404(user_api, other_user):
    theirs = social.muted_word_create(user=other_user, phrase="secret")
    for method in ("get", "delete"):
        response = getattr(user_api, method)(f"/api/v1/filters/{theirs.pk}")
        assert response.status_code == 404 and response.json()["error"]
    assert user_api.patch(f"/api/v1/filters/{theirs.pk}", {"phrase": "x"}, format="json").status_code == 404
    assert user_api.get("/api/v1/filters/not-an-id").status_code == 404
    assert MutedWord.objects.get(pk=theirs.pk).phrase == "secret"
    assert user_api.get("/api/v1/filters").json()["filters"] == []


def test_signed_out_is_401(api_client):
    assert api_client.get("/api/v1/filters").status_code == 401
    assert api_client.post("/api/v1/filters", {"phrase": "x"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"phrase": ""}, "phrase", 400),
        ({"phrase": "   "}, "phrase", 400),
        ({"phrase": "x" * 101}, "phrase", 400),
        ({"phrase": 5}, "phrase", 400),
        ({"phrase": ["a"]}, "phrase", 400),
        ({}, "phrase", 400),
        ({"phrase": "ok", "context": "profile"}, "context", 400),
        ({"phrase": "ok", "context": 1}, "context", 400),
        ({"phrase": "ok", "expiresIn": 60}, "expiresIn", 400),
        ({"phrase": "ok", "expiresIn": "86400"}, "expiresIn", 400),
        ({"phrase": "ok", "expiresIn": True}, "expiresIn", 400),
        ({"phrase": "ok", "expiresIn": {"a": 1}}, "expiresIn", 400),
        ({"phrase": "ok", "expiresIn": [86400]}, "expiresIn", 400),
    ],
)
def test_bad_input_is_400_and_changes_nothing(user_api, body, field, status):
    response = user_api.post("/api/v1/filters", body, format="json")
    assert response.status_code == status
    assert field in response.json()["fields"]
    assert not MutedWord.objects.exists()


def test_nul_bytes_are_refused(user_api):
    response = user_api.post("/api/v1/filters", {"phrase": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert not MutedWord.objects.exists()


def test_duplicates_and_the_limit_are_409(user_api, user):
    assert user_api.post("/api/v1/filters", {"phrase": "café"}, format="json").status_code == 201
    again = user_api.post("/api/v1/filters", {"phrase": "CAFE"}, format="json")
    assert again.status_code == 409 and "already muted" in again.json()["error"]
    MutedWord.objects.bulk_create(MutedWord(user=user, phrase=f"w{i}") for i in range(199))
    full = user_api.post("/api/v1/filters", {"phrase": "more"}, format="json")
    assert full.status_code == 409 and "200" in full.json()["error"]
    assert MutedWord.objects.filter(user=user).count() == 200


def test_patch_to_a_duplicate_is_409_and_bad_patch_is_400(user_api, user):
    one = social.muted_word_create(user=user, phrase="one")
    social.muted_word_create(user=user, phrase="two")
    assert user_api.patch(f"/api/v1/filters/{one.pk}", {"phrase": "TWO"}, format="json").status_code == 409
    assert user_api.patch(f"/api/v1/filters/{one.pk}", {"phrase": "x" * 101}, format="json").status_code == 400
    assert user_api.patch(f"/api/v1/filters/{one.pk}", {"context": "x"}, format="json").status_code == 400
    assert MutedWord.objects.get(pk=one.pk).phrase == "one"


def test_idempotency_key_makes_one_word(user_api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "mute-1"}
    first = user_api.post("/api/v1/filters", {"phrase": "once"}, format="json", **headers)
    again = user_api.post("/api/v1/filters", {"phrase": "once"}, format="json", **headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert MutedWord.objects.count() == 1


def test_list_pages_by_cursor_in_a_fixed_number_of_queries(user_api, user, django_assert_max_num_queries):
    for i in range(25):
        social.muted_word_create(user=user, phrase=f"word{i}")
    with django_assert_max_num_queries(4):
        first = user_api.get("/api/v1/filters", {"limit": 20}).json()
    second = user_api.get("/api/v1/filters", {"cursor": first["nextCursor"]}).json()
    phrases = [f["phrase"] for f in first["filters"] + second["filters"]]
    assert phrases == [f"word{i}" for i in range(24, -1, -1)] and second["nextCursor"] is None


def test_home_timeline_reads_words_once_per_request(user_api, user, django_assert_max_num_queries):
    """Filtering adds no query per post: the words come from the cache after the first read."""
    friend = UserFactory(username="friend")
    social.follow_create(follower=user, followee=friend)
    for i in range(20):
        social.muted_word_create(user=user, phrase=f"word{i}")
    from tests.tweets.helpers import post

    for i in range(30):
        post(friend, f"post {i}" + (" word3" if i % 3 == 0 else ""))
    user_api.get("/api/v1/timeline/home")  # builds the timeline and caches the words
    with django_assert_max_num_queries(8):
        texts = [t["text"] for t in user_api.get("/api/v1/timeline/home", {"limit": 20}).json()["tweets"]]
    assert len(texts) == 20 and not any("word3" in t for t in texts)


# --- the settings page ------------------------------------------------------------------------------


def test_settings_page_adds_lists_and_removes(client_logged_in, user):
    page = client_logged_in.get("/settings/muted-words")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Muted words" in html and 'name="phrase"' in html and 'name="context"' in html and 'name="expires"' in html
    form = {"phrase": "spoilers", "context": "home", "expires": "86400"}
    added = client_logged_in.post("/settings/muted-words", form)
    assert added.status_code == 302
    html = client_logged_in.get("/settings/muted-words").content.decode()
    assert "spoilers" in html and "Home timeline" in html and "until" in html
    word = MutedWord.objects.get(user=user)
    assert client_logged_in.post(f"/settings/muted-words/{word.pk}/remove").status_code == 302
    assert not MutedWord.objects.exists()


def test_settings_page_with_htmx_swaps_the_section(client_logged_in):
    added = client_logged_in.post(
        "/settings/muted-words", {"phrase": "#crypto", "context": "everywhere", "expires": ""}, HTTP_HX_REQUEST="true"
    )
    html = added.content.decode()
    assert added.status_code == 200 and 'id="muted-words"' in html and "Muted “#crypto”" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phrase": "", "context": "home"}, "Enter a word"),
        ({"phrase": "x" * 101, "context": "home"}, "at most 100 characters"),
        ({"phrase": "ok", "context": "nowhere"}, "Select a valid choice"),
        ({"phrase": "ok", "context": "home", "expires": "5"}, "Select a valid choice"),
    ],
)
def test_settings_page_bad_input_shows_an_error_and_changes_nothing(client_logged_in, data, message):
    response = client_logged_in.post("/settings/muted-words", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not MutedWord.objects.exists()


def test_settings_page_duplicate_is_refused(client_logged_in, user):
    social.muted_word_create(user=user, phrase="Café")
    response = client_logged_in.post("/settings/muted-words", {"phrase": "cafe", "context": "home"})
    assert response.status_code == 409 and "already muted" in response.content.decode()
    assert MutedWord.objects.count() == 1


def test_removing_someone_elses_word_is_404(client_logged_in, other_user):
    theirs = social.muted_word_create(user=other_user, phrase="mine")
    assert client_logged_in.post(f"/settings/muted-words/{theirs.pk}/remove").status_code == 404
    assert MutedWord.objects.filter(pk=theirs.pk).exists()


def test_settings_page_needs_sign_in_and_lists_in_fixed_queries(client, user, django_assert_max_num_queries):
    assert client.get("/settings/muted-words").status_code == 302
    for i in range(30):
        social.muted_word_create(user=user, phrase=f"w{i}")
    client.force_login(user)
    client.get("/settings/muted-words")
    with django_assert_max_num_queries(12):
        assert client.get("/settings/muted-words").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/timeline/home", "/api/v1/search?q=post", "/api/v1/notifications", "/", "/notifications"]
)
def test_muted_words_add_no_query_once_warm(client, user, path):
    """The same number of queries with 20 muted words as with none: the words come from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.tweets.helpers import post

    friend = UserFactory(username="friend")
    social.follow_create(follower=user, followee=friend)
    for i in range(30):
        post(friend, f"@alice post {i}" + (" word3" if i % 3 == 0 else ""))
    client.force_login(user)

    def queries() -> int:
        client.get(path)  # warm: the timeline built, the words cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    without = queries()
    for i in range(20):
        social.muted_word_create(user=user, phrase=f"nothing here {i}")
    # Words that hide nothing, so the page needn't refill: posts that drop out make the home timeline read
    # further (a bounded number of rounds, as for muted people), which costs queries per round, not per post.
    assert queries() == without
