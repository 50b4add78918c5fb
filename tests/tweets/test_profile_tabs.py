"""Profile tabs: posts (with retweets), replies, media and likes — in pages and the API."""

import io

import pytest
from PIL import Image

from tests import images
from tests.tweets.helpers import post
from tweets import services
from tweets.models import Media

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(user, other_user):
    theirs = post(other_user, "bob's post")
    own = post(user, "alice's post")
    reply = post(user, "alice's reply", reply_to_id=theirs.pk)
    pic = post(user, "alice's picture", uploads=[(images.png_upload(), "a square")])
    services.retweet_create(user=user, tweet_id=theirs.pk)
    services.like_create(user=user, tweet_id=theirs.pk)
    return {"theirs": theirs, "own": own, "reply": reply, "pic": pic}


def texts(body):
    return [(t["retweetOf"] or t)["text"] for t in body["tweets"]]


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("tweets", ["bob's post", "alice's picture", "alice's post"]),  # the retweet is newest
        ("replies", ["alice's reply"]),
        ("media", ["alice's picture"]),
        ("likes", ["bob's post"]),
    ],
)
def test_tabs_in_the_api(api_client, user, activity, tab, expected):
    body = api_client.get(f"/api/v1/timeline/user/{user.pk}", {"tab": tab}).json()
    assert texts(body) == expected
    assert body["nextCursor"] is None


@pytest.mark.parametrize(
    ("path", "shown", "hidden"),
    [
        ("/@alice", "alice&#x27;s post", "alice&#x27;s reply"),
        ("/@alice/replies", "alice&#x27;s reply", "alice&#x27;s post"),
        ("/@alice/media", "alice&#x27;s picture", "alice&#x27;s post"),
        ("/@alice/likes", "bob&#x27;s post", "alice&#x27;s post"),
    ],
)
def test_tabs_in_pages(client, activity, path, shown, hidden):
    html = client.get(path).content.decode()
    assert shown in html and hidden not in html


def test_unknown_tab_is_400(api_client, user):
    response = api_client.get(f"/api/v1/timeline/user/{user.pk}", {"tab": "secrets"})
    assert response.status_code == 400 and "tab" in response.json()["fields"]


def test_cursor_paging_on_a_profile(api_client, user):
    for i in range(5):
        post(user, f"post {i}")
    first = api_client.get("/api/v1/timeline/user/alice", {"limit": 3}).json()
    second = api_client.get("/api/v1/timeline/user/alice", {"limit": 3, "cursor": first["nextCursor"]}).json()
    assert texts(first) == ["post 4", "post 3", "post 2"]
    assert texts(second) == ["post 1", "post 0"] and second["nextCursor"] is None


def test_a_private_profile_hides_its_posts_from_others(api_client, client, user_api, user, other_user):
    post(other_user, "secret")
    other_user.is_private = True
    other_user.save()
    assert api_client.get(f"/api/v1/timeline/user/{other_user.pk}").status_code == 403
    assert user_api.get(f"/api/v1/timeline/user/{other_user.pk}").status_code == 403
    html = client.get("/@bob").content.decode()
    assert "These posts are protected" in html and "secret" not in html


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    return buffer.getvalue()


def test_the_media_tab_takes_every_kind_of_media_not_only_still_images(api_client, client, user):
    """It selects posts that have media rows (has_media), whatever their kind: a GIF today, a video tomorrow."""
    gif = post(user, "a moving picture", uploads=[(images.upload("loop.gif", animated_gif(), "image/gif"), "")])
    post(user, "words only")
    assert [m.kind for m in gif.media.all()] == [Media.Kind.GIF]
    body = api_client.get(f"/api/v1/timeline/user/{user.pk}", {"tab": "media"}).json()
    assert texts(body) == ["a moving picture"]
    assert [m["type"] for m in body["tweets"][0]["media"]] == ["gif"]
    html = client.get("/@alice/media").content.decode()
    assert "a moving picture" in html and "words only" not in html


def test_an_empty_media_tab_says_so(client, api_client, user):
    post(user, "words only")
    html = client.get("/@alice/media").content.decode()
    assert "No photos or videos yet." in html and "words only" not in html
    assert api_client.get(f"/api/v1/timeline/user/{user.pk}", {"tab": "media"}).json() == {
        "tweets": [],
        "nextCursor": None,
    }
