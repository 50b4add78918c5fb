"""The visibility matrix's viewers against Mastodon's read paths (issue 22).

The world (Tina the author, her posts, the viewer's relation to her) is the project's matrix's own
(tests/social/test_visibility_matrix.py); here the viewer reads through a Mastodon app's token.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.mastodon.helpers import masto
from tests.social.test_visibility_matrix import VIEWERS, body, world  # noqa: F401 (world is a fixture)

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


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
@pytest.mark.parametrize("path", list(PATHS))
def test_matrix(seen, path, request):
    viewer_kind = request.node.callspec.params["world"]
    _, _, sees, _ = VIEWERS[viewer_kind]
    fetch, marker = PATHS[path]
    response = fetch(seen)
    assert response.status_code in (200, 404)
    assert (marker in body(response)) is sees, f"{viewer_kind} / {path}: expected {'in' if sees else 'absent'}"


@pytest.mark.parametrize("world", list(VIEWERS), indirect=True)
def test_public_timeline(seen, request):
    """Only public accounts' posts: a private account's followers read them elsewhere, not here."""
    private, _, sees, _ = VIEWERS[request.node.callspec.params["world"]]
    listed = [s["id"] for s in seen["m"].get("/api/v1/timelines/public").json()]
    assert (str(seen["tina_post"]) in listed) is (sees and not private)  # (Pat's quote may show it to followers)


@pytest.mark.parametrize("world", [v for v in VIEWERS if not v.startswith("anonymous")], indirect=True)
def test_home_timeline(seen, request):
    _, _, _, on_home = VIEWERS[request.node.callspec.params["world"]]
    assert ("TINA-POST" in body(seen["m"].get("/api/v1/timelines/home"))) is on_home
