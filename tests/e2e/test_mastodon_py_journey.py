"""Issue 22's Mastodon.py journey, whole, against the live server.

Rita logs in through OAuth (consent page in the browser, OOB code: the helper of test_mastodon_py);
Ana (public) and Pia (private) hold tokens of a Mastodon app made directly. With Mastodon.py 2.3.3:
an image post (upload, processing, post), a poll, a reply, a boost, a favourite, a bookmark,
following Pia and being approved, the home/public/tag/list timelines page by page, notifications
(v1 and grouped), search, conversations, filters, lists, an edit with its history and a delete.
Receiving `update` and `notification` over `stream_user` within 1 s is
tests/e2e/test_mastodon_streaming.py.
"""

import time

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from social.messages import services as dm_services
from tests import images
from tests.e2e.test_mastodon_py import OOB, SCOPES, _approve_in_browser
from tests.factories import UserFactory
from tests.mastodon.helpers import ALL, mastodon_app
from tests.oauth.tokens import make_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TAG = "chirpjourney"


def ids(statuses) -> list[str]:
    return [str(s.id) for s in statuses]


def read_all(api, first_page) -> list[str]:
    """Every page, following Mastodon.py's fetch_next (the Link header's max_id)."""
    seen, page = [], first_page
    while page:
        seen += ids(page)
        page = api.fetch_next(page)
    return seen


def wait_processed(api, media):
    deadline = time.monotonic() + 10
    while media.url is None and time.monotonic() < deadline:
        time.sleep(0.1)
        media = api.media(media.id)
    return media


def log_in_rita(page, base) -> Mastodon:
    client_id, client_secret = Mastodon.create_app("Tootle", scopes=SCOPES, redirect_uris=OOB, api_base_url=base)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    code = _approve_in_browser(page, api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True))
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    return api


def test_mastodon_py_journey(page, live_server_url, shoot):
    base = live_server_url
    rita = UserFactory(username="reader", name="Rita Reader")
    ana, pia = UserFactory(username="ana", name="Ana Author"), UserFactory(username="pia", is_private=True)
    app = mastodon_app("Bot")
    as_ana = Mastodon(access_token=make_token(ana, ALL, app=app), api_base_url=base)
    as_pia = Mastodon(access_token=make_token(pia, ALL, app=app), api_base_url=base)
    as_rita = log_in_rita(page, base)
    shoot(page, "mastodon-journey-oob-code")
    assert as_rita.me().username == "reader"

    # An image post: upload (v2, processed after the answer), wait, post with media_ids.
    media = as_rita.media_post(images.image_bytes(), mime_type="image/png", description="A red square")
    media = wait_processed(as_rita, media)
    assert media.type == "image" and media.url and media.description == "A red square"
    pic = as_rita.status_post(f"Red square #{TAG}", media_ids=[media.id])
    assert [str(m.id) for m in pic.media_attachments] == [str(media.id)]
    assert pic.media_attachments[0].description == "A red square" and [t.name for t in pic.tags] == [TAG]

    # A poll, and Ana votes.
    poll = as_rita.status_post(f"Tea or coffee? #{TAG}", poll=as_rita.make_poll(["Tea", "Coffee"], expires_in=3600))
    assert [o.title for o in poll.poll.options] == ["Tea", "Coffee"] and poll.poll.expired is False
    voted = as_ana.poll_vote(poll.poll.id, [1])
    assert voted.voted is True and voted.own_votes == [1] and voted.votes_count == 1

    # Ana replies, boosts, favourites and bookmarks the picture.
    reply = as_ana.status_post("Lovely red", in_reply_to_id=pic.id)
    assert str(reply.in_reply_to_id) == str(pic.id) and str(reply.in_reply_to_account_id) == str(rita.pk)
    assert ids(as_rita.status_context(pic.id).descendants) == [str(reply.id)]
    boost = as_ana.status_reblog(pic.id)
    assert str(boost.reblog.id) == str(pic.id) and boost.reblog.reblogged is True
    faved = as_ana.status_favourite(pic.id)
    assert faved.favourited is True and faved.favourites_count == 1
    assert as_ana.status_bookmark(pic.id).bookmarked is True
    assert ids(as_ana.bookmarks()) == [str(pic.id)]
    assert [a.username for a in as_rita.status_favourited_by(pic.id)] == ["ana"]
    assert as_rita.status(pic.id).reblogs_count == 1

    # Rita follows Ana, and asks to follow Pia (private), who approves from her own client.
    assert as_rita.account_follow(ana.pk).following is True
    asked = as_rita.account_follow(pia.pk)
    assert asked.requested is True and asked.following is False
    assert [a.username for a in as_pia.follow_requests()] == ["reader"]
    assert [(n.type, n.account.username) for n in as_pia.notifications()] == [("follow_request", "reader")]
    approved = as_pia.follow_request_authorize(rita.pk)
    assert approved.followed_by is True
    assert as_rita.account_relationships(pia.pk)[0].following is True
    assert as_pia.follow_requests() == [] and as_pia.notifications() == []  # Chirp withdraws the answered request
    secret = as_pia.status_post(f"For my followers #{TAG}")
    assert secret.visibility == "private"

    # Timelines, page by page. Home: Rita's and the people she follows (Ana's boost of Rita's own post too).
    ana_posts = [as_ana.status_post(f"Ana says {i} #{TAG}") for i in range(3)]
    home = read_all(as_rita, as_rita.timeline_home(limit=2))
    newest_first = [*reversed(ids(ana_posts)), str(secret.id)]
    assert home[:4] == newest_first and str(pic.id) in home and str(poll.id) in home
    assert len(home) == len(set(home))
    by_max_id = as_rita.timeline_home(max_id=ana_posts[1].id, limit=2)
    assert ids(by_max_id) == [str(ana_posts[0].id), str(secret.id)]

    public = read_all(as_rita, as_rita.timeline_public(limit=2))
    assert public[:3] == list(reversed(ids(ana_posts))) and str(secret.id) not in public  # private stays out
    assert str(boost.id) not in public  # no boosts in public

    tag = read_all(as_rita, as_rita.timeline_hashtag(TAG, limit=2))
    assert tag == [*newest_first, str(poll.id), str(pic.id)]
    assert str(secret.id) not in ids(as_ana.timeline_hashtag(TAG))  # Ana doesn't follow Pia

    # Lists: Ana only.
    friends = as_rita.list_create("Friends")
    as_rita.list_accounts_add(friends.id, [ana.pk])
    assert [a.username for a in as_rita.list_accounts(friends.id)] == ["ana"]
    assert [str(lst.id) for lst in as_rita.lists()] == [str(friends.id)]
    listed = read_all(as_rita, as_rita.timeline_list(friends.id, limit=2))
    assert listed[:3] == list(reversed(ids(ana_posts))) and str(secret.id) not in listed

    # Notifications, v1 and grouped.
    notes = as_rita.notifications()
    kinds = {(n.type, n.account.username) for n in notes}
    assert {("mention", "ana"), ("reblog", "ana"), ("favourite", "ana")} <= kinds
    mention = next(n for n in notes if n.type == "mention")
    assert str(mention.status.id) == str(reply.id)
    favs = as_rita.notifications(types=["favourite"])
    assert [n.type for n in favs] == ["favourite"] and str(favs[0].status.id) == str(pic.id)
    grouped = as_rita.grouped_notifications()
    group_kinds = {g.type for g in grouped.notification_groups}
    assert {"mention", "reblog", "favourite"} <= group_kinds
    fav_group = next(g for g in grouped.notification_groups if g.type == "favourite")
    assert fav_group.notifications_count == 1 and str(fav_group.status_id) == str(pic.id)
    assert [str(a) for a in fav_group.sample_account_ids] == [str(ana.pk)]
    assert str(ana.pk) in {str(a.id) for a in grouped.accounts}
    assert str(pic.id) in ids(grouped.statuses)

    # Search.
    found = as_rita.search_v2("red square")
    assert str(pic.id) in ids(found.statuses)
    assert [a.username for a in as_rita.search_v2("pia", result_type="accounts").accounts] == ["pia"]
    assert TAG in [h.name for h in as_rita.search_v2(TAG, result_type="hashtags").hashtags]

    # Conversations: a Chirp direct message is a Mastodon conversation with a direct last_status.
    dm_services.message_send(sender=ana, recipient_id=rita.pk, text="Psst, Rita")
    (conversation,) = as_rita.conversations()
    assert conversation.unread is True and [a.username for a in conversation.accounts] == ["ana"]
    assert conversation.last_status.visibility == "direct" and "Psst, Rita" in conversation.last_status.content
    assert as_rita.conversations_read(conversation.id).unread is False

    # Filters v2: a hidden word leaves Rita's home timeline.
    muted = as_rita.create_filter_v2("Spoilers", ["home"], "hide", keywords_attributes=[{"keyword": "spoiler"}])
    assert [k.keyword for k in muted.keywords] == ["spoiler"] and muted.context == ["home"]
    assert [str(f.id) for f in as_rita.filters_v2()] == [str(muted.id)]
    spoiler = as_ana.status_post("Big spoiler: the butler did it")
    assert str(spoiler.id) not in ids(as_rita.timeline_home())
    as_rita.delete_filter_v2(muted.id)
    assert as_rita.filters_v2() == []
    assert str(spoiler.id) in ids(as_rita.timeline_home())

    # Edit with history.
    edited = as_rita.status_update(pic.id, f"Red square, edited #{TAG}")
    assert edited.edited_at is not None and "edited" in edited.content
    history = as_rita.status_history(pic.id)
    assert len(history) == 2 and history[0].content.startswith("<p>Red square <a") and "edited" in history[1].content
    assert as_rita.status_source(pic.id).text == f"Red square, edited #{TAG}"

    # Delete.
    gone = as_rita.status_delete(poll.id)
    assert str(gone.id) == str(poll.id)
    with pytest.raises(MastodonNotFoundError):
        as_rita.status(poll.id)
    assert str(poll.id) not in read_all(as_rita, as_rita.timeline_hashtag(TAG, limit=2))


def test_mastodon_py_multiple_choice_poll(live_server_url):
    """Mastodon.py's make_poll(multiple=True) and a vote of two choices; a second vote is refused."""
    base = live_server_url
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    app = mastodon_app("Bot")
    as_ana = Mastodon(access_token=make_token(ana, ALL, app=app), api_base_url=base)
    as_ben = Mastodon(access_token=make_token(ben, ALL, app=app), api_base_url=base)
    asked = as_ana.status_post("Pets?", poll=as_ana.make_poll(["Cats", "Dogs", "Fish"], expires_in=3600, multiple=True))
    assert asked.poll.multiple is True
    voted = as_ben.poll_vote(asked.poll.id, [0, 2])
    assert voted.own_votes == [0, 2] and voted.voters_count == 1 and voted.votes_count == 2
    assert [o.votes_count for o in voted.options] == [1, 0, 1]
    with pytest.raises(MastodonAPIError):
        as_ben.poll_vote(asked.poll.id, [1])
    assert as_ben.poll(asked.poll.id).own_votes == [0, 2]
