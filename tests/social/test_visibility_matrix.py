"""The visibility matrix: every kind of viewer against every read path, page and API.

Tina is the author. Each cell is a real request asserting that her content is
in, or absent from, the answer.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from social.graph import services
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets.draft_services import draft_create

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
    tweet_services.tweet_pin(user=tina, tweet_id=post(tina, "TINA-PINNED").pk)
    post(tina, "TINA-QUOTE", quote_of_id=pat_post.pk)
    if not request.param.startswith("anonymous"):
        tweet_services.bookmark_create(user=viewer, tweet_id=tina_post.pk)  # saved while visible to all
    tina_poll = post(tina, "TINA-POLL", poll_choices=["POLL-YES", "POLL-NO"], poll_duration=timedelta(days=1))
    services.follow_create(follower=pat, followee=tina)
    draft = draft_create(author=tina, text_input="TINA-DRAFT")
    scheduled = draft_create(author=tina, text_input="TINA-SCHEDULED", scheduled_at=timezone.now() + timedelta(days=1))
    lists = _lists(tina, pat, viewer)  # before any block, which would refuse adding Tina
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
    return {
        "page": page, "api": api, "tina_post": tina_post.pk, "pat_post": pat_post.pk, "viewer": viewer,
        "tina_poll": tina_poll.pk, "draft": draft.pk, "scheduled": scheduled.pk, "tina": tina, **lists,
    }  # fmt: skip


def _lists(tina, pat, viewer) -> dict:
    """Lists (feat-lists): Pat's public list and the viewer's list hold Tina; Tina has a public and a private list."""
    from timelines import lists_services

    pat_list = lists_services.list_create(owner=pat, name="PAT-LIST")
    lists_services.list_member_add(actor=pat, lst=pat_list, member=tina)
    viewer_list = lists_services.list_create(owner=viewer, name="VIC-LIST", is_private=True)
    lists_services.list_member_add(actor=viewer, lst=viewer_list, member=tina)
    tina_list = lists_services.list_create(owner=tina, name="TINA-LIST")
    lists_services.list_member_add(actor=tina, lst=tina_list, member=pat)
    secret = lists_services.list_create(owner=tina, name="TINA-SECRET", is_private=True)
    return {"pat_list": pat_list.pk, "viewer_list": viewer_list.pk, "tina_list": tina_list.pk, "tina_secret": secret.pk}


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
    "page profile pinned post": (lambda w: w["page"].get("/@tina"), "TINA-PINNED"),
    "api user pinnedTweet": (lambda w: w["api"].get("/api/v1/users/tina"), "TINA-PINNED"),
    "api quotes of tina's post": (lambda w: w["api"].get(f"/api/v1/tweets/{w['tina_post']}/quotes"), "PAT-QUOTE"),
    "api quotes of pat's post": (lambda w: w["api"].get(f"/api/v1/tweets/{w['pat_post']}/quotes"), "TINA-QUOTE"),
    "page quotes of tina's post": (lambda w: w["page"].get(f"/@tina/status/{w['tina_post']}/quotes"), "PAT-QUOTE"),
    "page quotes of pat's post": (lambda w: w["page"].get(f"/@pat/status/{w['pat_post']}/quotes"), "TINA-QUOTE"),
    "api poll on the tweet": (lambda w: w["api"].get(f"/api/v1/tweets/{w['tina_poll']}"), "POLL-YES"),
    "page poll": (lambda w: w["page"].get(f"/@tina/status/{w['tina_poll']}"), "POLL-YES"),
    # Lists: a list's timeline shows only posts the reader may see; a person's lists follow their posts.
    "page pat's list timeline": (lambda w: w["page"].get(f"/lists/{w['pat_list']}"), "TINA-POST"),
    "api pat's list timeline": (lambda w: w["api"].get(f"/api/v1/lists/{w['pat_list']}/timeline"), "TINA-POST"),
    "page pat's list members": (lambda w: w["page"].get(f"/lists/{w['pat_list']}/members"), "@tina"),
    "api pat's list members": (lambda w: w["api"].get(f"/api/v1/lists/{w['pat_list']}/members"), '"username":"tina"'),
    "page tina's list": (lambda w: w["page"].get(f"/lists/{w['tina_list']}"), "TINA-LIST"),
    "api tina's list": (lambda w: w["api"].get(f"/api/v1/lists/{w['tina_list']}"), "TINA-LIST"),
    "api tina's lists": (lambda w: w["api"].get("/api/v1/lists", {"user": "tina"}), "TINA-LIST"),
}

# The viewer's own bookmarks (Tina's post, saved while it was visible): signed-in viewers only.
BOOKMARK_PATHS = {
    "api bookmarks": (lambda w: w["api"].get("/api/v1/bookmarks"), "TINA-POST"),
    "page bookmarks": (lambda w: w["page"].get("/bookmarks"), "TINA-POST"),
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
@pytest.mark.parametrize("path", list(BOOKMARK_PATHS))
def test_bookmarks(world, path, request):
    viewer_kind = request.node.callspec.params["world"]
    _, _, sees, _ = VIEWERS[viewer_kind]
    fetch, marker = BOOKMARK_PATHS[path]
    response = fetch(world)
    assert response.status_code == 200
    assert (marker in body(response)) is sees, f"{viewer_kind} / {path}: expected {'in' if sees else 'absent'}"


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_home_timeline(world, request):
    _, _, _, on_home = VIEWERS[request.node.callspec.params["world"]]
    assert ("TINA-POST" in body(world["page"].get("/"))) is on_home


@pytest.mark.parametrize("world", ["non-follower of a private account", "blocked user"], indirect=True)
def test_hidden_quotes_say_unavailable(world):
    html = body(world["page"].get("/@pat"))
    if "You&#x27;re blocked" not in html:
        assert "PAT-QUOTE" in html and "This post is unavailable" in html


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_muting_the_conversation(world, request):  # feat-convmute: only a post one may see
    _, _, sees, _ = VIEWERS[request.node.callspec.params["world"]]
    expected = 200 if sees else 404
    assert world["api"].post(f"/api/v1/tweets/{world['tina_post']}/mute").status_code == expected
    assert world["api"].delete(f"/api/v1/tweets/{world['tina_post']}/mute").status_code == expected
    page = world["page"].post(f"/tweets/{world['tina_post']}/mute-conversation", HTTP_HX_REQUEST="true")
    assert page.status_code == expected
    assert ("Unmute this conversation" in page.content.decode()) is sees


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
def test_poll_votes(world, request):
    """Voting in Tina's poll: counted for those who see the post; refused (and nothing counted) for the rest:
    404 for a post one can't see, 403 when a block stands between (as for likes), 401 signed out."""
    from tweets.models import Poll

    viewer_kind = request.node.callspec.params["world"]
    _, _, sees, _ = VIEWERS[viewer_kind]
    api_path = f"/api/v1/tweets/{world['tina_poll']}/poll/votes"
    response = world["api"].post(api_path, {"choice": 1}, format="json")
    page = world["page"].post(f"/tweets/{world['tina_poll']}/poll/vote", {"choice": "2"}, HTTP_HX_REQUEST="true")
    votes = Poll.objects.get(tweet_id=world["tina_poll"]).votes_count
    if viewer_kind.startswith("anonymous"):
        assert (response.status_code, page.status_code, votes) == (401, 302, 0)
    elif sees:
        assert (response.status_code, page.status_code, votes) == (201, 409, 1)
        assert response.json()["poll"]["choices"][0]["votesCount"] == 1
    else:
        assert response.status_code in (403, 404) and page.status_code == response.status_code, viewer_kind
        assert votes == 0
        assert "POLL-YES" not in response.content.decode() + page.content.decode()


# Drafts and scheduled posts are the author's alone: no other viewer ever sees them, on any path.
AUTHOR_ONLY_PATHS = {
    "api drafts": (lambda w: w["api"].get("/api/v1/drafts"), "TINA-DRAFT"),
    "api draft": (lambda w: w["api"].get(f"/api/v1/drafts/{w['draft']}"), "TINA-DRAFT"),
    "api scheduled": (lambda w: w["api"].get("/api/v1/scheduled"), "TINA-SCHEDULED"),
    "api scheduled post": (lambda w: w["api"].get(f"/api/v1/scheduled/{w['scheduled']}"), "TINA-SCHEDULED"),
    "page drafts": (lambda w: w["page"].get("/drafts"), "TINA-DRAFT"),
    "page scheduled": (lambda w: w["page"].get("/scheduled"), "TINA-SCHEDULED"),
    "page draft edit": (lambda w: w["page"].get(f"/drafts/{w['draft']}/edit"), "TINA-DRAFT"),
    "page profile (scheduled)": (lambda w: w["page"].get("/@tina"), "TINA-SCHEDULED"),
}


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
@pytest.mark.parametrize("path", list(AUTHOR_ONLY_PATHS))
def test_drafts_are_the_authors_alone(world, path):
    fetch, marker = AUTHOR_ONLY_PATHS[path]
    response = fetch(world)
    assert response.status_code in (200, 302, 401, 403, 404)
    assert marker not in body(response)


@pytest.mark.parametrize("world", ["follower"], indirect=True)
def test_the_author_sees_her_drafts_on_those_paths(world):
    world["page"].force_login(world["tina"])
    world["api"].force_authenticate(world["tina"])
    for name, (fetch, marker) in AUTHOR_ONLY_PATHS.items():
        if name != "page profile (scheduled)":
            assert marker in body(fetch(world)), name
    assert "TINA-SCHEDULED" not in body(world["page"].get("/@tina"))  # not posted yet, even for her


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_own_list_timeline(world, request):
    """The viewer's own list holds Tina: her posts show there exactly when the viewer may see them."""
    _, _, sees, _ = VIEWERS[request.node.callspec.params["world"]]
    assert ("TINA-POST" in body(world["page"].get(f"/lists/{world['viewer_list']}"))) is sees
    assert ("TINA-POST" in body(world["api"].get(f"/api/v1/lists/{world['viewer_list']}/timeline"))) is sees


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
def test_a_private_list_is_404_to_everyone_but_its_owner(world):
    secret = world["tina_secret"]
    for path in ("", "/members", "/timeline"):
        assert world["api"].get(f"/api/v1/lists/{secret}{path}").status_code in (401, 404)
    for path in ("", "/members", "/edit"):
        assert world["page"].get(f"/lists/{secret}{path}").status_code in (302, 404)
    assert "TINA-SECRET" not in body(world["api"].get("/api/v1/lists", {"user": "tina"}))


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
