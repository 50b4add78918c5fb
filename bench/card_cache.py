"""Would a tweet cache pay? Loading a page's cards from PostgreSQL against from Redis, in this process.

The seeds name a tweet cache (hit ratio over 90 %). What it could save on a
home read is `load_cards`: one query for a page of 25 tweets with what they
point at (originals, quoted and parent posts) and their authors. This times
that against the best a cache could do: every card already in Redis, pickled
with its references and author, fetched with one MGET and unpickled (a 100 %
hit ratio, and no invalidation work counted). CPU ms per page of this
process, the PostgreSQL backends and Redis (bench/cpu.py), over the same
pages. The cache would have to beat the query by a clear share of a whole
request (bench rows home_api and home_page) to be worth its invalidation:
edits, deletes, counts, profile and visibility changes.
"""

from __future__ import annotations

import itertools
import pickle
import random

from bench.experiment import cpu_groups, timed

PAGE = 25  # ids a first page of 20 reads (the selector's slack)
KEY = "bench:card:{}"


def pages(count: int, rng: random.Random) -> list[list[int]]:
    """`count` pages of the newest-first ids of random recent posts, as timelines hold them."""
    from tweets.models import Tweet

    recent = list(Tweet.objects.order_by("-id").values_list("id", flat=True)[:20_000])
    return [sorted(rng.sample(recent, PAGE), reverse=True) for _ in range(count)]


def measure(rounds: int = 300, seed: int = 3) -> dict:
    from timelines.store import TimelineStore
    from tweets.selectors import load_cards

    client = TimelineStore().redis
    wanted = pages(rounds, random.Random(seed))
    for page in wanted:  # fill the would-be cache
        client.mset({KEY.format(t.pk): pickle.dumps(t) for t in load_cards(page)})
    groups = cpu_groups()
    turn = itertools.count()

    def from_sql():
        load_cards(wanted[next(turn) % rounds])

    def from_redis():
        page = wanted[next(turn) % rounds]
        return [pickle.loads(blob) for blob in client.mget([KEY.format(i) for i in page]) if blob]  # noqa: S301 - our own

    found = {"sql": timed(from_sql, rounds, groups), "redis": timed(from_redis, rounds, groups)}
    keys = [KEY.format(i) for page in wanted for i in page]
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return found
