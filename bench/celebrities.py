"""The celebrity path: what following big accounts adds to a home read, and the fan-out it saves.

    python -m bench.celebrities --scale full|small   (bench.run runs it; prints one JSON line last)

Accounts above TIMELINE_FANOUT_MAX_FOLLOWERS are not fanned out: each reader's
page merges their recent posts (one small sorted set per celebrity) at read
time. This runs against a data set of its own (bench/build.py, in its own
database and Redis database beside the main one, which it leaves alone):
twenty accounts followed by about half of everyone, so above the threshold.

- Reads: four readers follow the same 100 ordinary accounts and 0, 1, 5 or 20
  of the celebrities. Each reads its first page of 20 through the home
  timeline selector with hydration, as the API does, in this process; per
  reader: p50/p95 milliseconds and CPU milliseconds per read of this process,
  the PostgreSQL backends and Redis (bench/cpu.py).
- Fan-out: a celebrity posts and its post is fanned out as a celebrity's (its
  own timeline and followers with a socket open: none here), then another of
  its posts as an ordinary account's would be (every active follower with a
  built timeline; all of them are built here): the inserts and the worker
  time saved per post.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

from bench.experiment import cpu_groups, ensure_data, first_page, follow_exactly, say, setup_django, timed

FOLLOWED = (0, 1, 5, 20)
SIZES = {  # users: twice the threshold, so the stars (followed by about half of everyone) are above it
    "full": {"users": 24_000, "tweets": 240_000, "stars": 20, "threshold": 10_000, "reads": 400},
    "small": {"users": 1_000, "tweets": 10_000, "stars": 20, "threshold": 400, "reads": 60},
}


def celebrities() -> list[int]:
    from django.conf import settings

    from accounts.models import User

    return list(
        User.objects.filter(followers_count__gt=settings.TIMELINE_FANOUT_MAX_FOLLOWERS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def set_up_readers(stars: list[int], ordinary_count: int = 100) -> dict[int, int]:
    """Four readers with the same 100 ordinary followees and 0, 1, 5 or 20 celebrities: {followed: user id}."""
    from django.db.models import Count

    from accounts.models import User

    ordinary = list(
        User.objects.exclude(pk__in=stars).filter(tweets__isnull=False).annotate(n=Count("tweets"))
        .order_by("-n", "pk").values_list("pk", flat=True)[: ordinary_count + len(FOLLOWED)]
    )  # fmt: skip
    followees, candidates = ordinary[:ordinary_count], ordinary[ordinary_count:]
    readers = dict(zip(FOLLOWED, candidates, strict=False))
    for count, reader in readers.items():
        follow_exactly(reader, followees + stars[:count])
    return readers


def reads(readers: dict[int, int], rounds: int) -> dict:
    """Each reader's first page, `rounds` times, one reader after another: latency and CPU per read."""
    from timelines.selectors import celebrities_followed

    groups = cpu_groups()
    found = {}
    for count, pk in readers.items():
        read = first_page(pk)
        entries = read()  # builds the timeline and the recent sets
        followed = set(celebrities_followed(pk))
        found[count] = {
            "entries": len(entries),
            "celebrities_followed": len(followed),
            "from_celebrities": sum(1 for entry in entries if entry.author_id in followed),
            **timed(read, rounds, groups),
        }
    return found


def fan_out_saved(star: int) -> dict:
    """One celebrity post fanned out as it is, one as an ordinary account's would be."""
    from django.test import override_settings
    from django.utils import timezone

    from accounts.models import User
    from social.graph.models import Follow
    from timelines import services
    from timelines.store import TimelineStore
    from tweets.models import Tweet

    store = TimelineStore()
    followers = list(Follow.objects.filter(followee_id=star).values_list("follower_id", flat=True))
    User.objects.filter(pk__in=followers).update(last_seen_at=timezone.now())  # all active
    with store.redis.pipeline(transaction=False) as pipe:
        for follower in followers:
            pipe.delete(store.home_key(follower))
        pipe.execute()
    for follower in followers:
        store.replace_home(follower, [])  # built (empty): an ordinary fan-out reaches every one

    def post_and_fan_out(text: str) -> dict:
        tweet = Tweet.objects.create(author_id=star, text=text)
        started = time.process_time(), time.perf_counter()
        inserted = services.fan_out(tweet.pk, store)
        return {
            "inserted": inserted,
            "cpu_ms": round((time.process_time() - started[0]) * 1000, 1),
            "ms": round((time.perf_counter() - started[1]) * 1000, 1),
        }

    as_celebrity = post_and_fan_out("a celebrity's post, merged at read time")
    with override_settings(TIMELINE_FANOUT_MAX_FOLLOWERS=len(followers) + 1):
        as_ordinary = post_and_fan_out("the same post fanned out as an ordinary account's")
    return {
        "followers": len(followers),
        "as_celebrity": as_celebrity,
        "as_ordinary": as_ordinary,
        "inserts_saved": as_ordinary["inserted"] - as_celebrity["inserted"],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SIZES, default="full")
    args = parser.parse_args(argv)
    size = SIZES[args.scale]
    os.environ["TIMELINE_FANOUT_MAX_FOLLOWERS"] = str(size["threshold"])
    ensure_data(args.scale, {key: size[key] for key in ("users", "tweets", "stars")})
    setup_django()
    from timelines.store import TimelineStore, forget_generations

    TimelineStore().redis.flushdb()  # this experiment's own Redis database
    forget_generations()
    stars = celebrities()
    if len(stars) < max(FOLLOWED):
        raise RuntimeError(f"{len(stars)} accounts above the threshold; {max(FOLLOWED)} needed")
    readers = set_up_readers(stars)
    say("reading with 0, 1, 5 and 20 followed celebrities")
    result = {"threshold": size["threshold"], "celebrities": len(stars), "reads": reads(readers, size["reads"])}
    say("one celebrity post fanned out as it is, and as an ordinary account's")
    result["fan_out"] = fan_out_saved(random.Random(5).choice(stars))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
