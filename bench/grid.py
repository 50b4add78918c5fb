"""Where Redis timelines pay off: the home read from Redis and from SQL, by followees and by tweets stored.

    python -m bench.grid --scale full|small   (bench.run runs it; prints one JSON line last)

For each number of tweets (full: 500,000 and 5,000,000 over 6,000 accounts)
a data set of its own (bench/build.py, in a database beside the bench's),
where three readers follow exactly 100, 1,000 and 5,000 accounts (small:
fewer of everything). Each reader's first page of 20 is read through the
home timeline selector with hydration, in this process, from its Redis
sorted set and from SQL (TIMELINE_READ_FROM_SQL), the two paths taking
turns; p50/p95 ms and CPU ms per read of this process, the PostgreSQL
backends and Redis.

The Redis path reads 25 ids by score from one sorted set, then the same
fixed number of queries by primary key whatever the reader follows. The
SQL path asks PostgreSQL for the newest 20 posts by any of the followees:
it walks each followee's newest posts (the author-and-id index) and merges
them, so its cost grows with the followees (and, less, with how many posts
each has in the window it must look through).
"""

from __future__ import annotations

import argparse
import json
import os
import random

from bench.experiment import cpu_groups, ensure_data, first_page, follow_exactly, say, setup_django, timed

SIZES = {
    "full": {"users": 6_000, "tweets": (500_000, 5_000_000), "following": (100, 1_000, 5_000), "reads": 200},
    "small": {"users": 600, "tweets": (12_000, 60_000), "following": (10, 100, 500), "reads": 40},
}
ROUNDS = 2  # each path's reads are split in this many turns, Redis and SQL alternating


def set_up_readers(following: tuple[int, ...]) -> dict[int, int]:
    """One reader per followee count, each following that many accounts drawn at random: {count: user id}."""
    from accounts.models import User

    everyone = list(User.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(11)
    readers = {}
    for count, reader in zip(following, everyone[:: max(1, len(everyone) // 7)][1:], strict=False):
        follow_exactly(reader, rng.sample([pk for pk in everyone if pk != reader], count))
        readers[count] = reader
    return readers


def measure(readers: dict[int, int], rounds: int) -> dict:
    from django.test import override_settings

    groups = cpu_groups()
    found = {}
    for count, pk in readers.items():
        read = first_page(pk)
        redis_ids = [e.pk for e in read()]  # builds the sorted set
        with override_settings(TIMELINE_READ_FROM_SQL=True):
            sql_ids = [e.pk for e in read()]
        runs: dict[str, list] = {"redis": [], "sql": []}
        for _ in range(ROUNDS):
            runs["redis"].append(timed(read, rounds // ROUNDS, groups))
            with override_settings(TIMELINE_READ_FROM_SQL=True):
                runs["sql"].append(timed(read, rounds // ROUNDS, groups))
        found[count] = {
            # SQL's page can come up short where retweets of one post group together; Redis's keeps filling.
            "sql_page_within_redis": set(sql_ids) <= set(redis_ids),
            **{path: combine(found_runs) for path, found_runs in runs.items()},
        }
    return found


def combine(runs: list[dict]) -> dict:
    """The turns of one path: the worse p95 and the mean CPU per read."""
    cpu = {}
    for key in ("web", "db", "redis", "total"):
        values = [run["cpu_ms"].get(key) for run in runs]
        cpu[key] = round(sum(values) / len(values), 3) if None not in values else None
    return {
        "p50_ms": round(sum(run["p50_ms"] for run in runs) / len(runs), 3),
        "p95_ms": max(run["p95_ms"] for run in runs),
        "cpu_ms": cpu,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SIZES, default="full")
    args = parser.parse_args(argv)
    size = SIZES[args.scale]
    base = os.environ["DATABASE_URL"]
    results = {}
    for tweets in size["tweets"]:
        os.environ["DATABASE_URL"] = f"{base}_{tweets}"
        ensure_data(args.scale, {"users": size["users"], "tweets": tweets})
        results[tweets] = run_one(size)
    print(json.dumps({"users": size["users"], "grid": results}))


def run_one(size: dict) -> dict:
    """In a child process of its own: Django connects to one database per process."""
    import subprocess
    import sys

    from bench.experiment import PYTHON, ROOT

    code = (
        "import json; from bench import grid; "
        f"print(json.dumps(grid.in_this_process({json.dumps(size['following'])}, {size['reads']})))"
    )
    found = subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    sys.stderr.flush()
    return json.loads(found.stdout.strip().splitlines()[-1])


def in_this_process(following: list[int], reads: int) -> dict:
    setup_django()
    from timelines.store import TimelineStore, forget_generations

    TimelineStore().redis.flushdb()  # the grid's own Redis database
    forget_generations()
    say(f"readers following {following} accounts")
    return measure(set_up_readers(tuple(following)), reads)


if __name__ == "__main__":
    main()
