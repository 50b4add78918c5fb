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
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FOLLOWED = (0, 1, 5, 20)
SIZES = {  # users: twice the threshold, so the stars (followed by about half of everyone) are above it
    "full": {"users": 24_000, "tweets": 240_000, "stars": 20, "threshold": 10_000, "reads": 400},
    "small": {"users": 1_000, "tweets": 10_000, "stars": 20, "threshold": 400, "reads": 60},
}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build_argv(size: dict) -> list[str]:
    return ["--users", str(size["users"]), "--tweets", str(size["tweets"]), "--celebrities", str(size["stars"])]


def ensure_data(scale: str, size: dict) -> None:
    """Build this experiment's data set unless its database holds it already."""
    import psycopg

    from bench.build import parameters, stored_parameters

    url = os.environ["DATABASE_URL"]
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, check=True)
    wanted = parameters(scale, 5, users=size["users"], tweets=size["tweets"], stars=size["stars"])
    with psycopg.connect(url) as conn:
        built = stored_parameters(conn)
    if built != wanted:
        say(f"building the celebrity data set ({size['users']:,} users, {size['stars']} celebrities)")
        subprocess.run([PYTHON, "-m", "bench.build", "--scale", scale, *build_argv(size)], cwd=ROOT, check=True)


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
    from django.db import transaction
    from django.db.models import Count

    from accounts.models import User
    from social.graph.models import Follow

    ordinary = list(
        User.objects.exclude(pk__in=stars).filter(tweets__isnull=False).annotate(n=Count("tweets"))
        .order_by("-n", "pk").values_list("pk", flat=True)[: ordinary_count + len(FOLLOWED)]
    )  # fmt: skip
    followees, candidates = ordinary[:ordinary_count], ordinary[ordinary_count:]
    readers = dict(zip(FOLLOWED, candidates, strict=False))
    with transaction.atomic():
        Follow.objects.filter(follower_id__in=readers.values()).delete()
        Follow.objects.bulk_create(
            Follow(follower_id=reader, followee_id=followee)
            for count, reader in readers.items()
            for followee in followees + stars[:count]
        )
        for reader in readers.values():
            User.objects.filter(pk=reader).update(following_count=Follow.objects.filter(follower_id=reader).count())
    return readers


def cpu_groups() -> dict:
    from django.db import connection

    from bench import cpu
    from timelines.store import TimelineStore

    groups = {"web": {"pids": [os.getpid()]}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_database()")
        backend, database = cursor.fetchone()
    postmaster = cpu.postmaster_of(backend)
    if postmaster:
        groups["db"] = {"postmaster": postmaster, "database": database}
    redis = cpu.redis_pid(TimelineStore().redis.info("server").get("process_id"))
    if redis:
        groups["redis"] = {"pids": [redis]}
    return groups


def reads(readers: dict[int, int], rounds: int) -> dict:
    """Each reader's first page, `rounds` times, one reader after another: latency and CPU per read."""
    from accounts.models import User
    from bench import cpu
    from config.kernel.api.pagination import PageRequest
    from timelines.selectors import celebrities_followed, home_timeline

    viewers = {count: User.objects.get(pk=pk) for count, pk in readers.items()}
    for viewer in viewers.values():
        home_timeline(viewer, PageRequest(cursor=None, limit=20))  # builds the timeline and the recent sets
    groups = cpu_groups()
    found = {}
    for count, viewer in viewers.items():
        followed = set(celebrities_followed(viewer.pk))
        samples = []
        before = cpu.sample(groups)
        for _ in range(rounds):
            started = time.perf_counter()
            entries, _ = home_timeline(viewer, PageRequest(cursor=None, limit=20))
            samples.append((time.perf_counter() - started) * 1000)
        after = cpu.sample(groups)
        samples.sort()
        found[count] = {
            "entries": len(entries),
            "celebrities_followed": len(followed),
            "from_celebrities": sum(1 for entry in entries if entry.author_id in followed),
            "p50_ms": round(samples[len(samples) // 2], 3),
            "p95_ms": round(samples[int(len(samples) * 0.95)], 3),
            "cpu_ms": cpu.per_request(before, after, rounds),
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    ensure_data(args.scale, size)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
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
