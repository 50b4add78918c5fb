"""Pages for the social graph: follow buttons, people lists, requests, blocks and mutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import error_toast, safe_next
from social.graph import selectors, services
from social.graph.models import FollowRequest
from social.graph.visibility import RelationSet


def _person(username: str):
    user = account_selectors.user_by_username(username)
    if user is None:
        raise Http404("No such user.")
    return user


# --- follow, block and mute buttons ---------------------------------------------------

ACTIONS = {
    "follow": (lambda me, other: services.follow_create(follower=me, followee=other), None),
    "unfollow": (lambda me, other: services.follow_delete(follower=me, followee=other), None),
    "block": (
        lambda me, other: services.block_create(blocker=me, blocked=other),
        lambda name: _("You blocked @%(username)s.") % {"username": name},
    ),
    "unblock": (
        lambda me, other: services.block_delete(blocker=me, blocked=other),
        lambda name: _("You unblocked @%(username)s.") % {"username": name},
    ),
    "mute": (
        lambda me, other: services.mute_create(muter=me, muted=other),
        lambda name: _("You muted @%(username)s.") % {"username": name},
    ),
    "unmute": (
        lambda me, other: services.mute_delete(muter=me, muted=other),
        lambda name: _("You unmuted @%(username)s.") % {"username": name},
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def relation_action(request, username: str, action: str):
    other = _person(username)
    if request.method == "GET":
        return _confirm_block(request, other, action)
    act, done = ACTIONS[action]
    try:
        act(request.user, other)
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("profile", args=[other.username])))
    if request.htmx and action in ("follow", "unfollow"):
        person = selectors.with_relations(request.user, [other])[0]
        return render(request, "social/_follow_button.html", {"person": person})
    if done:
        messages.success(request, done(other.username))
    return redirect(safe_next(request, reverse("profile", args=[other.username])))


def _confirm_block(request, other, action: str):
    """GET /@name/block: what blocking does, and a button to do it (the profile's dialog without JavaScript)."""
    if action != "block":
        return HttpResponseNotAllowed(["POST"])
    relations = selectors.with_relations(request.user, [other])[0].relation
    if relations["is_self"] or relations["blocking"]:
        return redirect("profile", other.username)
    return render(request, "social/block_confirm.html", {"person": other})


# --- lists of people ---------------------------------------------------------------------


def _people_page(request, username: str, select, title: str, tab: str):
    owner = _person(username)
    page = PageRequest.from_query_or_first(request.GET)
    allowed = RelationSet.for_viewer(request.user, [owner.pk]).can_see_author(owner)
    people, next_cursor = select(owner, request.user, page) if allowed else ([], None)
    context = {"profile_user": owner, "people": people, "next_cursor": next_cursor, "title": title, "tab": tab,
               "allowed": allowed}  # fmt: skip
    return render(request, "social/people.html", context)


def followers_page(request, username: str):
    return _people_page(request, username, selectors.followers, "Followers", "followers")


def following_page(request, username: str):
    return _people_page(request, username, selectors.following, "Following", "following")


# --- follow requests -----------------------------------------------------------------------


@login_required
def requests_page(request):
    rows, next_cursor = selectors.follow_requests(request.user, PageRequest.from_query_or_first(request.GET))
    selectors.with_relations(request.user, [row.requester for row in rows])
    return render(request, "social/requests.html", {"rows": rows, "next_cursor": next_cursor})


@login_required
@require_POST
def request_answer(request, request_id: int, answer: str):
    follow_request = get_object_or_404(FollowRequest, pk=request_id, target=request.user)
    name = follow_request.requester.username
    if answer == "approve":
        services.follow_request_approve(target=request.user, request_id=request_id)
        messages.success(request, _("@%(username)s now follows you.") % {"username": name})
    else:
        services.follow_request_deny(target=request.user, request_id=request_id)
        messages.info(request, _("You denied @%(username)s's request.") % {"username": name})
    return redirect("follow-requests")


# --- settings: blocked and muted -----------------------------------------------------------------


@login_required
def blocked_page(request):
    people, next_cursor = selectors.blocked_people(request.user, PageRequest.from_query_or_first(request.GET))
    context = {"people": people, "next_cursor": next_cursor, "kind": "blocked", "section": "privacy"}
    return render(request, "social/settings_people.html", context)


@login_required
def muted_page(request):
    people, next_cursor = selectors.muted_people(request.user, PageRequest.from_query_or_first(request.GET))
    context = {"people": people, "next_cursor": next_cursor, "kind": "muted", "section": "privacy"}
    return render(request, "social/settings_people.html", context)


def suggestions(request):
    """The who-to-follow box, loaded after the page so pages don't wait for it."""
    return render(request, "social/_who_to_follow.html", {"people": selectors.who_to_follow(request.user)})
