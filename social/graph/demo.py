"""A believable follow graph for `manage.py seed_demo`."""

from __future__ import annotations

import random

from social.graph import services

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
    # Muted words for ada: one everywhere, one hashtag for a week, one only in notifications.
    services.muted_word_create(user=by_name["ada"], phrase="spoilers")
    services.muted_word_create(user=by_name["ada"], phrase="#crypto", context="home", expires_in=7 * 86400)
    services.muted_word_create(user=by_name["ada"], phrase="hot take", context="notifications")
    return {"follows": follows}
