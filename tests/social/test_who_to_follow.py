import pytest
from django.core.cache import cache

from social.graph import selectors, services
from social.graph.models import Follow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def names(people):
    return [p.username for p in people]


def test_friends_of_friends_first_then_popular(user):
    friend1, friend2 = UserFactory(username="friend1"), UserFactory(username="friend2")
    shared, single = UserFactory(username="shared"), UserFactory(username="single")
    UserFactory(username="star", followers_count=500)
    for friend in (friend1, friend2):
        services.follow_create(follower=user, followee=friend)
        services.follow_create(follower=friend, followee=shared)
    services.follow_create(follower=friend1, followee=single)
    assert names(selectors.who_to_follow(user, limit=3)) == ["shared", "single", "star"]


def test_excludes_self_followed_requested_blocked_and_muted(user):
    followed, requested = UserFactory(username="followed"), UserFactory(username="requested", is_private=True)
    blocked, blocker, muted = (
        UserFactory(username="blocked"),
        UserFactory(username="blocker"),
        UserFactory(username="muted"),
    )
    fine = UserFactory(username="fine")
    services.follow_create(follower=user, followee=followed)
    services.follow_create(follower=user, followee=requested)
    services.block_create(blocker=user, blocked=blocked)
    services.block_create(blocker=blocker, blocked=user)
    services.mute_create(muter=user, muted=muted)
    for other in (requested, blocked, blocker, muted, fine):  # all friends of a friend
        Follow.objects.create(follower=followed, followee=other)
    cache.clear()
    suggested = names(selectors.who_to_follow(user, limit=10))
    assert "fine" in suggested
    for excluded in ("alice", "followed", "requested", "blocked", "blocker", "muted"):
        assert excluded not in suggested


def test_anonymous_gets_popular_accounts(db):
    UserFactory(username="quiet")
    UserFactory(username="popular", followers_count=99)
    assert names(selectors.who_to_follow(None, limit=1)) == ["popular"]


def test_suggestions_refresh_after_following(user, django_capture_on_commit_callbacks):
    star = UserFactory(username="star", followers_count=10)
    assert "star" in names(selectors.who_to_follow(user))  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_create(follower=user, followee=star)
    assert "star" not in names(selectors.who_to_follow(user))


def test_explore_and_sidebar_show_suggestions(client_logged_in, user):
    UserFactory(username="star", followers_count=10)
    assert "@star" in client_logged_in.get("/explore").content.decode()
    assert "@star" in client_logged_in.get("/suggestions").content.decode()


def test_staff_accounts_are_never_suggested_anywhere(client, user):
    """`root` (superuser) and `moderator` (staff) run the site: Explore, the sidebar, who to follow for anyone
    and the Mastodon suggestions all leave them out, even when they are the most followed or friends of friends."""
    from tests.mastodon.helpers import masto

    root = UserFactory(username="root", is_staff=True, is_superuser=True, followers_count=900)
    moderator = UserFactory(username="moderator", is_staff=True, followers_count=800)
    owner = UserFactory(username="owner", is_superuser=True, followers_count=700)  # a superuser without is_staff
    UserFactory(username="star", followers_count=10)
    friend = UserFactory(username="friend")
    services.follow_create(follower=user, followee=friend)
    for staff in (root, moderator, owner):
        Follow.objects.create(follower=friend, followee=staff)  # friends of a friend, the first-ranked kind
    cache.clear()
    for viewer in (user, None):
        suggested = names(selectors.who_to_follow(viewer, limit=10))
        assert "star" in suggested and not {"root", "moderator", "owner"} & set(suggested)
    client.force_login(user)
    for path in ("/explore", "/suggestions"):
        html = client.get(path).content.decode()
        assert "@star" in html
        for name in ("root", "moderator", "owner"):
            assert f"@{name}<" not in html and f'href="/@{name}"' not in html
    ids = [a["id"] for a in masto(user).get("/api/v1/suggestions").json()]
    assert not {str(root.pk), str(moderator.pk), str(owner.pk)} & set(ids)
    # Made staff after the suggestions were cached: gone at once, not after the cache expires.
    star = UserFactory._meta.model.objects.get(username="star")
    star.is_staff = True
    star.save()
    assert "star" not in names(selectors.who_to_follow(user, limit=10))
