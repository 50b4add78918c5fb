"""What the in-process experiments (bench/celebrities.py, bench/grid.py) share.

Each builds a data set of its own with bench/build.py into the database that
DATABASE_URL names (a sibling of the bench's), and times reads of the home
timeline in its own process: latency per read, and CPU per read of this
process, the PostgreSQL backends serving it and Redis (bench/cpu.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_data(scale: str, sizes: dict) -> None:
    """Build the data set of `sizes` (bench.build's options) unless DATABASE_URL's database holds it."""
    import psycopg

    from bench.build import parameters, stored_parameters

    url = os.environ["DATABASE_URL"]
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, check=True)
    with psycopg.connect(url) as conn:
        built = stored_parameters(conn)
    if built != parameters(scale, 5, **sizes):
        say(f"building a data set into {name}: {sizes}")
        flags = {"stars": "--celebrities", "median_followees": "--follows-per-user"}
        argv = []
        for key, value in sizes.items():
            argv += [flags.get(key, "--" + key.replace("_", "-")), str(value)]
        subprocess.run([PYTHON, "-m", "bench.build", "--scale", scale, *argv], cwd=ROOT, check=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def cpu_groups() -> dict:
    """This process, the PostgreSQL server's backends on our database, and Redis (where visible)."""
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


def timed(read: Callable[[], object], rounds: int, groups: dict) -> dict:
    """`read` run `rounds` times: p50/p95 ms and CPU ms per read by group."""
    from bench import cpu

    samples = []
    before = cpu.sample(groups)
    for _ in range(rounds):
        started = time.perf_counter()
        read()
        samples.append((time.perf_counter() - started) * 1000)
    after = cpu.sample(groups)
    samples.sort()
    return {
        "p50_ms": round(samples[len(samples) // 2], 3),
        "p95_ms": round(samples[int(len(samples) * 0.95)], 3),
        "cpu_ms": cpu.per_request(before, after, rounds),
    }


def first_page(user_id: int) -> Callable[[], list]:
    """A read of the user's first home page of 20, as the API makes it (selector and hydration)."""
    from accounts.models import User
    from config.kernel.api.pagination import PageRequest
    from timelines.selectors import home_timeline

    viewer, page = User.objects.get(pk=user_id), PageRequest(cursor=None, limit=20)
    return lambda: home_timeline(viewer, page)[0]


def follow_exactly(reader: int, followees: list[int]) -> None:
    """Make `reader` follow exactly `followees`, with the follow counters kept right."""
    from django.db import connection, transaction

    from social.graph.models import Follow

    with transaction.atomic():
        before = list(Follow.objects.filter(follower_id=reader).values_list("followee_id", flat=True))
        Follow.objects.filter(follower_id=reader).delete()
        Follow.objects.bulk_create(Follow(follower_id=reader, followee_id=f) for f in followees if f != reader)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_user u SET followers_count ="
                " (SELECT count(*) FROM social_follow f WHERE f.followee_id = u.id) WHERE u.id = ANY(%s)",
                [sorted(set(before) | set(followees))],
            )
            cursor.execute(
                "UPDATE accounts_user SET following_count ="
                " (SELECT count(*) FROM social_follow WHERE follower_id = %s) WHERE id = %s",
                [reader, reader],
            )
