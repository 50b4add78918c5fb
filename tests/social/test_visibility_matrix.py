"""The visibility matrix: every kind of viewer against every read path, page and API.

Tina is the author. Each cell is a real request asserting that her content is
in, or absent from, the answer.
"""

import pytest

from social.graph import services
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db

# viewer: (Tina private?, setup, sees Tina's posts and lists?, sees them on the home timeline?)
VIEWERS = {
    "anonymous (public author)": (False, None, True, None),
    "anonymous (private author)": (True, None, False, None),
    "follower": (False, "follow", True, True),
    "non-follower of a private account": (True, None, False, False),
    "pending requester": (True, "request", False, False),
    "approved follower": (True, "approved", True, True),
    "blocked user": (False, "blocked", False, False),
    "the blocker": (False, "blocker", False, False),
    "the muter": (False, "mute", True, False),
    "follower of a suspended author": (False, "suspended", False, False),
}


@pytest.fixture
def world(request, api_client):
    private, setup, _, _ = VIEWERS[request.param]
    tina, pat, viewer = UserFactory(username="tina"), UserFactory(username="pat"), UserFactory(username="vic")
    pat_post = post(pat, "PAT-POST")
    tina_post = post(tina, "TINA-POST #matrix")
    post(tina, "TINA-MEDIA", uploads=[(images.png_upload(), "")])
    post(tina, "TINA-REPLY", reply_to_id=pat_post.pk)
    tweet_services.like_create(user=tina, tweet_id=pat_post.pk)
    tweet_services.retweet_create(user=pat, tweet_id=tina_post.pk)  # before Tina may turn private
    post(pat, "PAT-QUOTE", quote_of_id=tina_post.pk)
    services.follow_create(follower=pat, followee=tina)
    if setup in ("follow", "approved", "mute", "suspended"):
        services.follow_create(follower=viewer, followee=tina)
    if private:
        tina.is_private = True
        tina.save()
    if setup == "request":
        services.follow_create(follower=viewer, followee=tina)
    elif setup == "blocked":
        services.block_create(blocker=tina, blocked=viewer)
    elif setup == "blocker":
        services.block_create(blocker=viewer, blocked=tina)
    elif setup == "mute":
        services.mute_create(muter=viewer, muted=tina)
    elif setup == "suspended":
        from social.moderation.services import user_suspend

        user_suspend(moderator=UserFactory(username="mod", is_staff=True), user=tina, reason="spam")

    from django.test import Client
    from rest_framework.test import APIClient

    page, api = Client(), APIClient()
    if not request.param.startswith("anonymous"):
        page.force_login(viewer)
        api.force_authenticate(viewer)
    return {"page": page, "api": api, "tina_post": tina_post.pk, "pat_post": pat_post.pk, "viewer": viewer}


def body(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


# Each read path: (how to fetch, the marker that is Tina's content there).
PATHS = {
    "api tweet": (lambda w: w["api"].get(f"/api/v1/tweets/{w['tina_post']}"), "TINA-POST"),
    "api profile tweets": (lambda w: w["api"].get("/api/v1/timeline/user/tina?tab=tweets"), "TINA-POST"),
    "api profile replies": (lambda w: w["api"].get("/api/v1/timeline/user/tina?tab=replies"), "TINA-REPLY"),
    "api profile media": (lambda w: w["api"].get("/api/v1/timeline/user/tina?tab=media"), "TINA-MEDIA"),
    "api profile likes": (lambda w: w["api"].get("/api/v1/timeline/user/tina?tab=likes"), "PAT-POST"),
    "api replies under pat": (lambda w: w["api"].get(f"/api/v1/tweets/{w['pat_post']}/replies"), "TINA-REPLY"),
    "api likers": (lambda w: w["api"].get(f"/api/v1/tweets/{w['pat_post']}/likers"), '"username":"tina"'),
    "api followers list": (lambda w: w["api"].get("/api/v1/users/tina/followers"), '"username":"pat"'),
    "api following list": (lambda w: w["api"].get("/api/v1/users/pat/following"), '"username":"tina"'),
    "api pat's timeline (retweet)": (lambda w: w["api"].get("/api/v1/timeline/user/pat"), "TINA-POST"),
    "page tweet": (lambda w: w["page"].get(f"/@tina/status/{w['tina_post']}"), "TINA-POST"),
    "page profile": (lambda w: w["page"].get("/@tina"), "TINA-POST"),
    "page profile replies": (lambda w: w["page"].get("/@tina/replies"), "TINA-REPLY"),
    "page profile media": (lambda w: w["page"].get("/@tina/media"), "TINA-MEDIA"),
    "page profile likes": (lambda w: w["page"].get("/@tina/likes"), "PAT-POST"),
    "page pat's conversation": (lambda w: w["page"].get(f"/@pat/status/{w['pat_post']}"), "TINA-REPLY"),
    "page likers": (lambda w: w["page"].get(f"/@pat/status/{w['pat_post']}/likes"), "@tina"),
    "page followers": (lambda w: w["page"].get("/@tina/followers"), "@pat"),
    "page hashtag": (lambda w: w["page"].get("/hashtag/matrix"), "TINA-POST"),
    "page search": (lambda w: w["page"].get("/search", {"q": "#matrix", "tab": "latest"}), "TINA-POST"),
    "page search top": (lambda w: w["page"].get("/search", {"q": "#matrix"}), "TINA-POST"),
    "api search": (lambda w: w["api"].get("/api/v1/search", {"q": "from:tina"}), "TINA-POST"),
    "api search top": (lambda w: w["api"].get("/api/v1/search", {"q": "tina", "sort": "top"}), "TINA-POST"),
    "api hashtag search": (
        lambda w: w["api"].get("/api/v1/search", {"q": "matr", "type": "hashtags"}),
        '"hashtag":"matrix"',
    ),
    "page pat's profile (retweet and quote)": (lambda w: w["page"].get("/@pat"), "TINA-POST"),
}


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
@pytest.mark.parametrize("path", list(PATHS))
def test_matrix(world, path, request):
    viewer_kind = request.node.callspec.params["world"]
    _, _, sees, _ = VIEWERS[viewer_kind]
    fetch, marker = PATHS[path]
    response = fetch(world)
    assert response.status_code in (200, 403, 404)
    found = marker in body(response)
    assert found is sees, f"{viewer_kind} / {path}: expected {'in' if sees else 'absent'}"


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_home_timeline(world, request):
    _, _, _, on_home = VIEWERS[request.node.callspec.params["world"]]
    assert ("TINA-POST" in body(world["page"].get("/"))) is on_home


@pytest.mark.parametrize("world", ["non-follower of a private account", "blocked user"], indirect=True)
def test_hidden_quotes_say_unavailable(world):
    html = body(world["page"].get("/@pat"))
    if "You&#x27;re blocked" not in html:
        assert "PAT-QUOTE" in html and "This post is unavailable" in html


# Muted words (the follower mutes "#matrix", in Tina's post): filtered where the word's context says,
# the post itself still readable where muted words don't apply (profiles, the post's page).
MUTED_WORD_CELLS = {
    "page home": (lambda w: w["page"].get("/"), False),
    "api home": (lambda w: w["api"].get("/api/v1/timeline/home"), False),
    "page search": (lambda w: w["page"].get("/search", {"q": "TINA", "tab": "latest"}), False),
    "api search": (lambda w: w["api"].get("/api/v1/search", {"q": "from:tina"}), False),
    "page hashtag": (lambda w: w["page"].get("/hashtag/matrix"), False),
    "page profile": (lambda w: w["page"].get("/@tina"), True),
    "page tweet": (lambda w: w["page"].get(f"/@tina/status/{w['tina_post']}"), True),
    "api tweet": (lambda w: w["api"].get(f"/api/v1/tweets/{w['tina_post']}"), True),
}


@pytest.mark.parametrize("world", ["follower"], indirect=True)
@pytest.mark.parametrize("cell", list(MUTED_WORD_CELLS))
def test_muted_word_cells(world, cell):
    services.muted_word_create(user=world["viewer"], phrase="#Matrix")
    fetch, shown = MUTED_WORD_CELLS[cell]
    response = fetch(world)
    assert response.status_code == 200
    assert ("TINA-POST" in body(response)) is shown, cell
