"""A believable follow graph for `manage.py seed_demo`."""

from __future__ import annotations

import random

from social import services

POPULAR = ["priya", "elif", "hana", "kofi", "zoe"]  # followed by most of the demo crowd
PRIVATE = "wren"  # a private account, with one request waiting


def seed_graph(rng: random.Random, users: list) -> dict:
    by_name = {u.username: u for u in users}
    follows = 0
    for user in users:
        for name in POPULAR:
            if name != user.username and rng.random() < 0.8:
                services.follow_create(follower=user, followee=by_name[name])
                follows += 1
        for other in rng.sample(users, 8):
            if other != user and other.username != PRIVATE:
                services.follow_create(follower=user, followee=other)
                follows += 1
    wren = by_name[PRIVATE]
    services.follow_create(follower=by_name["ada"], followee=wren)  # an approved follower...
    wren.is_private = True
    wren.save(update_fields=["is_private"])
    services.follow_create(follower=by_name["bruno"], followee=wren)  # ...and a pending request
    services.block_create(blocker=by_name["dana"], blocked=by_name["ivan"])
    services.mute_create(muter=by_name["ada"], muted=by_name["tomas"])
    return {"follows": follows}


CONVERSATIONS = [
    (["ada", "bruno"], "", [
        ("bruno", "Are you still up for the coast walk on Saturday?"),
        ("ada", "Yes! Bring the good camera, the light at Foz is unreal in the morning."),
        ("bruno", "Deal. 7:30 at the lighthouse?"),
        ("ada", "7:30 it is. I'll bring coffee."),
    ]),
    (["ada", "chen"], "", [
        ("chen", "Your post about consensus protocols made my map tiles sync properly. Thank you!"),
        ("ada", "Ha, that's the nicest thing anyone has said about Raft."),
    ]),
    (["chen", "ada", "farah", "kofi"], "Dumpling night", [
        ("chen", "Dumpling night at mine next Friday. Who's in?"),
        ("farah", "In. I'll make a za'atar dipping sauce and nobody can stop me."),
        ("kofi", "Count me in, I'll bring drinks."),
        ("ada", "Wouldn't miss it 🥟"),
    ]),
]  # fmt: skip


def seed_messages(users: list) -> int:
    """A few one-to-one conversations and a group, with some left unread for 'ada'."""
    from social.dm import services as dm

    by_name = {u.username: u for u in users}
    sent = 0
    for names, title, lines in CONVERSATIONS:
        creator = by_name[lines[0][0]]
        others = [by_name[n].pk for n in names if n != creator.username]
        conversation, _ = dm.conversation_start(creator=creator, participant_ids=others, title=title)
        for sender, text in lines:
            dm.message_send(sender=by_name[sender], conversation_id=conversation.pk, text=text)
            sent += 1
    dm.message_send(sender=by_name["hana"], recipient_id=by_name["ada"].pk, text="Loved your talk. Coffee soon?")
    return sent + 1


def seed_reports(users: list) -> int:
    """A short queue for the demo moderator: two open reports on one account's posts and profile."""
    from social.moderation.services import report_create
    from tweets.models import Tweet

    by_name = {u.username: u for u in users}
    target = Tweet.objects.filter(author=by_name["tomas"], retweet_of__isnull=True).order_by("id").first()
    report_create(reporter=by_name["ada"], target_type="tweet", target_id=target.pk, reason="spam",
                  text="Posts the same beer ad everywhere.")  # fmt: skip
    report_create(reporter=by_name["hana"], target_type="user", target_id=by_name["tomas"].pk, reason="spam")
    return 2
