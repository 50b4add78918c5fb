"""Conversations for `manage.py seed_demo`."""

from __future__ import annotations

from social.messages import services as dm

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
