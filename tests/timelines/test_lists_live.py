"""A list's timeline updates live: a member's new post reaches the owner's open page as `timeline.new`
with the list's id, and never reaches an owner who may not see the author."""

import jsonschema
import pytest
from asgiref.sync import sync_to_async

from notifications import catalogue
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def _setup():
    from timelines import lists_services

    owner, member, locked = UserFactory(), UserFactory(), UserFactory(is_private=True)
    lst = lists_services.list_create(owner=owner, name="Live")
    for person in (member, locked):
        lists_services.list_member_add(actor=owner, lst=lst, member=person)
    return owner, member, locked, lst


def _post(author, text):
    from tests.tweets.helpers import post

    return post(author, text)


async def _next_timeline_event(socket):
    while True:
        event = await socket.receive_json_from(timeout=3)
        if event["type"] == "timeline.new":
            jsonschema.validate(event, catalogue.SCHEMAS["timeline.new"])
            return event


async def test_a_members_post_is_announced_to_the_list_owner_who_may_see_it():
    owner, member, locked, lst = await sync_to_async(_setup)()
    socket = await listening(cookie=await cookie_for(owner))
    await sync_to_async(_post)(locked, "protected: the owner doesn't follow this private member")
    tweet = await sync_to_async(_post)(member, "live in a list")
    event = await _next_timeline_event(socket)  # the first to arrive is the public member's
    assert (event["entryId"], event["authorId"], event["listId"]) == (str(tweet.pk), str(member.pk), str(lst.pk))
    assert event["id"] == f"timeline.new:{tweet.pk}:list:{lst.pk}"
    await socket.disconnect()


def _mute_word(user, phrase):
    from social.graph.services import muted_word_create

    muted_word_create(user=user, phrase=phrase, context="home")


async def test_a_post_the_owners_muted_words_hide_is_not_announced():
    owner, member, _, lst = await sync_to_async(_setup)()
    await sync_to_async(_mute_word)(owner, "spoilers")
    socket = await listening(cookie=await cookie_for(owner))
    await sync_to_async(_post)(member, "huge SPOILERS ahead")
    tweet = await sync_to_async(_post)(member, "nothing to hide")
    event = await _next_timeline_event(socket)  # the first to arrive is the unmuted one
    assert (event["entryId"], event["listId"]) == (str(tweet.pk), str(lst.pk))
    await socket.disconnect()
