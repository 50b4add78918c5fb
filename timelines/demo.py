"""Lists for `manage.py seed_demo`: a few public and private lists, the first one full of the popular crowd."""

from __future__ import annotations

import contextlib
import random

from config.kernel.errors import ServiceError
from timelines import lists_services

LISTS = [
    ("ada", "Favourites", "The people I never want to miss.", False, ["priya", "elif", "hana", "kofi", "zoe"]),
    ("ada", "Reading later", "", True, ["bruno", "wren"]),
    ("priya", "Designers", "Good taste, shared often.", False, ["elif", "zoe"]),
]


def seed_lists(rng: random.Random, users: list) -> int:
    by_name = {u.username: u for u in users}
    made = 0
    for owner_name, name, description, private, member_names in LISTS:
        owner = by_name.get(owner_name)
        if owner is None:
            continue
        lst = lists_services.list_create(owner=owner, name=name, description=description, is_private=private)
        for member_name in member_names:
            member = by_name.get(member_name)
            if member is not None and member != owner:
                lists_services.list_member_add(actor=owner, lst=lst, member=member)
        made += 1
    for user in rng.sample(users, min(5, len(users))):  # a few more, each with some people
        if user.username not in ("ada", "priya"):
            lst = lists_services.list_create(owner=user, name=f"{user.username}'s picks")
            for member in rng.sample(users, min(6, len(users))):
                # A block between them: the site refuses it, and the demo skips that one.
                with contextlib.suppress(ServiceError):
                    lists_services.list_member_add(actor=user, lst=lst, member=member)
            made += 1
    return made
