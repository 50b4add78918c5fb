"""The visibility matrix's viewers against Mastodon's read paths (issue 22).

The world (Tina the author, her posts, the viewer's relation to her) is the project's matrix's own
(tests/social/test_visibility_matrix.py); here the viewer reads through a Mastodon app's token.
The streaming cells build a smaller world of their own (a live socket needs committed rows).
"""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from config.asgi import application
from social.graph import services as graph
from tests.factories import UserFactory
from tests.mastodon.helpers import masto, mastodon_app
from tests.oauth.tokens import make_token
from tests.social.test_visibility_matrix import VIEWERS, body, world  # noqa: F401 (world is a fixture)
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen(world, request):  # noqa: F811
    """The world with `m`, the viewer's Mastodon client (none for the anonymous)."""
    signed_in = not request.node.callspec.params["world"].startswith("anonymous")
    return {**world, "m": masto(world["viewer"]) if signed_in else APIClient()}


PATHS = {
    "status": (lambda w: w["m"].get(f"/api/v1/statuses/{w['tina_post']}"), "TINA-POST"),
    "status poll": (lambda w: w["m"].get(f"/api/v1/statuses/{w['tina_poll']}"), "POLL-YES"),
    "context under pat's post": (lambda w: w["m"].get(f"/api/v1/statuses/{w['pat_post']}/context"), "TINA-REPLY"),
    "account statuses": (lambda w: w["m"].get(f"/api/v1/accounts/{w['tina'].pk}/statuses"), "TINA-POST"),
    "account statuses replies": (lambda w: w["m"].get(f"/api/v1/accounts/{w['tina'].pk}/statuses"), "TINA-REPLY"),
    "pat's statuses (boost)": (
        lambda w: w["m"].get(
            f"/api/v1/accounts/{User.objects.get(username='pat').pk}/statuses", {"exclude_replies": "1"}
        ),
        "TINA-POST",
    ),
    "tag timeline": (lambda w: w["m"].get("/api/v1/timelines/tag/matrix"), "TINA-POST"),
    "favourited_by": (lambda w: w["m"].get(f"/api/v1/statuses/{w['pat_post']}/favourited_by"), '"username":"tina"'),
}


HIDES_MUTED = {"tag timeline"}


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
@pytest.mark.parametrize("path", list(PATHS))
def test_matrix(seen, path, request):
    viewer_kind = request.node.callspec.params["world"]
    _, _, sees, _ = VIEWERS[viewer_kind]
    fetch, marker = PATHS[path]
    response = fetch(seen)
    if path in HIDES_MUTED and viewer_kind == "the muter":
        sees = False  # Mastodon leaves muted accounts out of the public and tag timelines
    assert response.status_code in (200, 404)
    assert (marker in body(response)) is sees, f"{viewer_kind} / {path}: expected {'in' if sees else 'absent'}"


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
def test_public_timeline(seen, request):
    """Only public accounts' posts: a private account's followers read them elsewhere, not here."""
    private, setup, sees, _ = VIEWERS[request.node.callspec.params["world"]]
    listed = [s["id"] for s in seen["m"].get("/api/v1/timelines/public").json()]
    # (Pat's quote may show it to followers.) Muted accounts are left out, as Mastodon does.
    assert (str(seen["tina_post"]) in listed) is (sees and not private and setup != "mute")


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_home_timeline(seen, request):
    _, _, _, on_home = VIEWERS[request.node.callspec.params["world"]]
    assert ("TINA-POST" in body(seen["m"].get("/api/v1/timelines/home"))) is on_home


# --- streaming ------------------------------------------------------------------------------------

STREAMED = [v for v in VIEWERS if not v.startswith("anonymous") and v != "follower of a suspended author"]
# (Streaming needs a token, so no anonymous cells; a suspended author can't post, so nothing is streamed.)


def stream_world(kind: str) -> tuple[User, User, str]:
    """Tina and the viewer as the matrix relates them, Pat whom the viewer follows; the viewer's Mastodon token."""
    private, setup, _, _ = VIEWERS[kind]
    tina, pat = UserFactory(username="tina"), UserFactory(username="pat")
    viewer = UserFactory(username="vic", last_seen_at=timezone.now())  # the fan-out serves active readers
    graph.follow_create(follower=viewer, followee=pat)
    if setup in ("follow", "approved", "mute"):
        graph.follow_create(follower=viewer, followee=tina)
    if private:
        tina.is_private = True
        tina.save()
    if setup == "request":
        graph.follow_create(follower=viewer, followee=tina)
    elif setup == "blocked":
        graph.block_create(blocker=tina, blocked=viewer)
    elif setup == "blocker":
        graph.block_create(blocker=viewer, blocked=tina)
    elif setup == "mute":
        graph.mute_create(muter=viewer, muted=tina)
    return tina, pat, make_token(viewer, "read", app=mastodon_app())


EVERY_STREAM = {("user",), ("public",), ("hashtag", "matrix")}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("close_thread_connections")
@pytest.mark.parametrize("kind", STREAMED)
async def test_streams(kind):
    """Tina posts: which of `user`, `public` and `hashtag` show it; then she deletes it: `delete`, to everyone.

    Pat's post after Tina's reaches all three streams by the same paths, so once it has, whatever
    of Tina's was going to arrive has (each path keeps its order): absence needs no waiting.
    """
    private, setup, sees, on_home = VIEWERS[kind]
    tina, pat, token = await sync_to_async(stream_world)(kind)
    socket = WebsocketCommunicator(application, f"/api/v1/streaming?stream=user&access_token={token}",
                                   headers=[(b"host", b"testserver")])  # fmt: skip
    assert (await socket.connect())[0]
    await socket.send_json_to({"type": "subscribe", "stream": "public"})
    await socket.send_json_to({"type": "subscribe", "stream": "hashtag", "tag": "matrix"})
    await socket.send_json_to({"type": "subscribe", "stream": "nonsense"})
    assert await socket.receive_json_from(timeout=3) == {"error": "Unknown stream type"}  # the frames above are in

    posted = await sync_to_async(tweets.tweet_create)(author=tina, text_input="TINA-POST #matrix")
    marker = await sync_to_async(tweets.tweet_create)(author=pat, text_input="PAT-MARKER #matrix")
    shown, marked = set(), set()
    while marked != EVERY_STREAM:
        frame = await socket.receive_json_from(timeout=3)
        assert frame["event"] == "update", frame
        status_id = json.loads(frame["payload"])["id"]
        assert status_id in (str(posted.pk), str(marker.pk)), frame
        (marked if status_id == str(marker.pk) else shown).add(tuple(frame["stream"]))
    in_public = sees and not private and setup != "mute"  # a muted author is left out of public streams too
    expected = {("user",)} if on_home else set()
    expected |= {("public",), ("hashtag", "matrix")} if in_public else set()
    assert shown == expected, f"{kind}: streamed on {sorted(shown)}, expected {sorted(expected)}"

    post_id = str(posted.pk)  # deleting clears the instance's pk
    await sync_to_async(tweets.tweet_delete)(actor=tina, tweet=posted)
    deleted = await socket.receive_json_from(timeout=3)
    assert deleted["event"] == "delete" and deleted["payload"] == post_id  # to every reader: the id names nothing now
    await socket.disconnect()
