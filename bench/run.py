"""The benchmark runner (SPEC §5): build if needed, start the stack, warm up, measure, report.

    python -m bench.run [--scale full|small] [--duration 20] [--server granian|uvicorn|daphne]
    python -m bench.run --scale full --only-search   # the two search rows and their query plans alone

It starts the stack the way production runs it (docs/OPERATIONS.md): the web
server with two worker processes for HTTP, a baseline copy that reads every
home timeline from SQL, the ASGI process for WebSockets, and one Celery
worker process. Load comes from a separate process (bench/load.py) with 16
concurrent clients; live events from another (bench/ws.py) holding the open
sockets. Results print as a table and as JSON, and are saved under
bench/results/, with the EXPLAIN (ANALYZE, BUFFERS) plans of the search
queries in bench/results/<scale>-plans.txt.

Every row of the table runs twice, the whole list once and then again (A B
C ... A B C), so a slow minute of the shared machine touches both runs of no
row; both runs are shown. Each run also counts the CPU that the web server,
PostgreSQL and Redis spent per request (bench/cpu.py), and the summary
compares it with the record in bench/baseline/<scale>.json, which
`--record` (`make bench`) rewrites; CI (`make bench-small`) only compares.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import card_cache, cpu, memory, push, searching, services, video
from bench import lists as bench_lists
from bench import mastodon as bench_mastodon
from bench.build import ScaleError, add_size_options, parameters, size_argv, size_options, stored_parameters

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
CONCURRENCY = 16
RUN_MARK = f"{time.time_ns():x}"  # in every post this run makes
SCALE_USERS = {"full": 10_000, "small": 600}
SOCKETS = {"full": 1_000, "small": 200}  # open sockets for the live-event test

TARGETS = {  # SPEC §5, for the report only: nothing here fails on a missed target
    "home_api": "p95 ≤ 25 ms, ≥ 250 req/s",
    "home_page": "p95 ≤ 40 ms",
    "list_api": "as home_api (a list of 50 followees, 20 tweets)",
    "mastodon_home": "within 20 % of home_api (issue 22)",
    "post": "p95 ≤ 30 ms",
    "like": "p95 ≤ 20 ms",
    "follow": "p95 ≤ 20 ms",
    "fanout_latency": "≤ 1 s to every active follower (5,000 followers)",
    "fanout_throughput": "≥ 100,000 inserts/s, one worker",
    "redis_vs_sql": "Redis ≥ 5× faster at p95 (reader following 1,000)",
    "cache_hit_ratio": "≥ 95 % for active users",
    "live_event": "p95 ≤ 100 ms, action over HTTP to the frame, 1,000 open sockets",
    "search_tweets": "p95 ≤ 50 ms (500,000 tweets)",
    "search_users": "p95 ≤ 20 ms",
    "upload_contention": "home p95 with 4 GIF-bomb uploaders ≤ 2× idle (issue 15)",
    "video": "worker + transcode child < 500 MB peak RSS (a 100 MB upload; issue 19)",
}
VIDEO_SECONDS = {"full": 30, "small": 6}  # the clip for the video row: small keeps CI within a minute
ROUNDS = 2  # each row runs this many times, interleaved with the other rows
WORSE = 1.2  # a row whose CPU per request is more than 20 % above the record is flagged (never failed)
BASELINE = ROOT / "bench" / "baseline"
TABLE = ("home_api", "mastodon_home", "home_api_sql", "heavy_redis", "heavy_sql", "home_page", "list_api", "post",
         "like", "follow", "search_tweets", "search_users")  # fmt: skip


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(args) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "API_RATE_IP": "10000000/min",
        "API_RATE_USER": "10000000/min",
        # One address and a few repeated texts: the abuse limits would refuse the load itself.
        **{f"LIMIT_{action}": "" for action in ("POST", "FOLLOW", "LIKE", "MESSAGE", "UPLOAD")},
        **{f"LIMIT_{action}_IP": "" for action in ("POST", "FOLLOW", "LIKE", "MESSAGE", "UPLOAD")},
        "LIMIT_DUPLICATE_TEXT": "",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for name in ("PRODUCTION", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    return env


class Stack:
    """The processes under test, each in its own process group, stopped on exit."""

    def __init__(self, env: dict, server: str, log_dir: Path):
        self.env, self.server, self.log_dir = env, server, log_dir
        self.processes: list[subprocess.Popen] = []
        self.web_port, self.sql_port, self.ws_port = free_port(), free_port(), free_port()
        self.ws_pid = None
        self.pids: dict[str, int] = {}  # by name: the root of each process tree, for CPU accounting

    def _start(self, name: str, command: list[str], extra_env: dict | None = None) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **(extra_env or {})}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        self.pids[name] = process.pid
        return process

    def web_command(self, port: int) -> list[str]:
        if self.server == "uvicorn":
            return [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
                    "--workers", "2", "--no-access-log", "--log-level", "warning"]  # fmt: skip
        if self.server == "daphne":
            return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
        return [str(BIN / "granian"), "--interface", "wsgi", "config.wsgi:application", "--host", "127.0.0.1",
                "--port", str(port), "--workers", "2", "--blocking-threads", "1", "--log-level", "warning"]  # fmt: skip

    def start(self) -> None:
        self._start("web", self.web_command(self.web_port))
        self._start("web-sql", self.web_command(self.sql_port), {"TIMELINE_READ_FROM_SQL": "true"})
        self._start("worker", [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING",
                               "--queues=timelines,default,media,notifications,maintenance", "--without-gossip",
                               "--without-mingle", "--without-heartbeat"])  # fmt: skip
        # One uvicorn process, as the Procfile's `ws`: its pid is the one whose memory is read.
        ws = [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(self.ws_port),
              "--no-access-log", "--log-level", "warning"]  # fmt: skip
        self.ws_pid = self._start("ws", ws).pid
        for port in (self.web_port, self.sql_port, self.ws_port):
            self._wait_for(port)

    def _wait_for(self, port: int, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the web server on port {port} did not come up; see {self.log_dir}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- preparing clients and timelines ------------------------------------------------------


def prepare(scale: str, rng: random.Random, warm: bool = True) -> dict:
    """Tokens and sessions for bench readers, built timelines for everyone a test reads or reaches, search queries.

    warm=False skips building timelines (a search-only run reads none).
    """
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db.models import Max
    from knox.models import AuthToken

    from accounts.models import User
    from social.graph.models import Follow
    from timelines import services
    from timelines.store import TimelineStore, forget_generations
    from tweets.models import Tweet

    store = TimelineStore()
    store.redis.flushdb()
    forget_generations()  # an emptied Redis starts a new timeline generation
    AuthToken.objects.all().delete()
    active = list(
        User.objects.filter(last_seen_at__isnull=False, username__startswith="user").values_list("pk", flat=True)
    )
    active_set = set(User.objects.filter(last_seen_at__gte=services._active_since()).values_list("pk", flat=True))
    readers = rng.sample([u for u in active if u in active_set], 300 if scale == "full" else 40)
    tokens = {uid: AuthToken.objects.create(User(pk=uid))[1] for uid in readers}
    sessions = []
    for uid in readers[: 100 if scale == "full" else 20]:
        session = SessionStore()
        user = User.objects.get(pk=uid)
        session["_auth_user_id"] = str(uid)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    heavy = User.objects.get(username="reader1000")
    stars = list(User.objects.order_by("-followers_count").values_list("pk", "followers_count")[:5])
    star_id = min(stars, key=lambda s: abs(s[1] - 5000))[0]  # the account closest to 5,000 followers
    star_followers = set(Follow.objects.filter(followee_id=star_id).values_list("follower_id", flat=True)) & active_set

    to_build = sorted(set(readers) | {heavy.pk} | star_followers)
    if warm:
        say(f"building {len(to_build):,} home timelines (readers, the heavy reader, the star's active followers)")
        started = time.monotonic()
        warm_in_parallel(to_build)
        say(f"  built in {time.monotonic() - started:.0f}s")
    lists = bench_lists.make_lists(readers)  # one list of followees per reader: the list_api row
    if warm:
        bench_lists.warm(list(lists.values()))
    store.redis.delete("tl:stats")

    max_id = Tweet.objects.aggregate(top=Max("id"))["top"]
    originals = list(
        Tweet.objects.filter(retweet_of__isnull=True, id__lte=max_id)
        .order_by("-id")
        .values_list("id", flat=True)[:5000]
    )
    return {
        "tokens": list(tokens.values()),
        "token_users": list(tokens),  # whose each token is, in the same order
        "lists": bench_lists.requests(lists, tokens),
        "mastodon_home": bench_mastodon.requests(bench_mastodon.make_tokens(list(tokens))),
        "sessions": sessions,
        "heavy_token": AuthToken.objects.create(heavy)[1],
        "heavy_following": heavy.following_count,
        "star": star_id,
        "star_token": AuthToken.objects.create(User(pk=star_id))[1],
        "star_followers_active": sorted(star_followers),
        "other_stars": [(pk, AuthToken.objects.create(User(pk=pk))[1]) for pk, _ in stars if pk != star_id],
        "originals": originals,
        "users": list(User.objects.values_list("pk", flat=True)),
        "search": searching.search_inputs(),
        **live_recipients(SOCKETS[scale]),
    }


def live_recipients(count: int) -> dict:
    """A liker and `count` public authors, each with a post the liker hasn't liked yet.

    A fresh like is needed per action: a repeated one notifies nobody. The
    liker is a bench-only account that nobody has muted or blocked.
    """
    from django.db import connection
    from knox.models import AuthToken

    from accounts.models import User

    liker, _ = User.objects.get_or_create(username="bench_liker", defaults={"email": "bench_liker@example.com"})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (t.author_id) t.author_id, t.id
              FROM tweets_tweet t JOIN accounts_user u ON u.id = t.author_id
             WHERE NOT u.is_private AND u.is_active AND t.retweet_of_id IS NULL AND u.id <> %s
               AND NOT EXISTS (SELECT 1 FROM tweets_like l WHERE l.user_id = %s AND l.tweet_id = t.id)
             ORDER BY t.author_id, t.id DESC
            """,
            [liker.pk, liker.pk],
        )
        rows = cursor.fetchall()[:count]
    return {
        "liker_token": AuthToken.objects.create(liker)[1],
        "recipients": [
            {"token": AuthToken.objects.create(User(pk=author))[1], "tweet_id": tweet} for author, tweet in rows
        ],
    }


def warm_in_parallel(user_ids: list[int], processes: int = 2) -> None:
    """Rebuild timelines from PostgreSQL in two child processes (one per core)."""
    chunks = [user_ids[i::processes] for i in range(processes)]
    children = []
    for chunk in chunks:
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
        json.dump(chunk, handle)
        handle.close()
        code = (
            "import json,sys,django;django.setup();from timelines import rebuild as timeline_rebuild;"
            f"[timeline_rebuild.rebuild_home(u) for u in json.load(open({handle.name!r}))]"
        )
        children.append(subprocess.Popen([PYTHON, "-c", code], cwd=ROOT, env=os.environ.copy()))
    for child in children:
        if child.wait() != 0:
            raise RuntimeError("warming timelines failed")


# --- scenarios -----------------------------------------------------------------------------


def load(plan: dict, work_dir: Path) -> dict:
    path = work_dir / "plan.json"
    path.write_text(json.dumps(plan))
    result = subprocess.run(
        [PYTHON, "-m", "bench.load", str(path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def scenarios(stack: Stack, data: dict, args, rng: random.Random) -> dict:
    from timelines.store import TimelineStore

    store = TimelineStore()
    web, sql = f"http://127.0.0.1:{stack.web_port}", f"http://127.0.0.1:{stack.sql_port}"
    timing = {"concurrency": CONCURRENCY, "warmup": args.warmup, "duration": args.duration}
    work_dir = Path(tempfile.mkdtemp(prefix="chirp-bench-"))
    groups = {web: cpu_groups(stack, "web"), sql: cpu_groups(stack, "web-sql")}
    home = [{"path": "/api/v1/timeline/home?limit=20", "headers": bearer(t)} for t in data["tokens"]]
    heavy = [{"path": "/api/v1/timeline/home?limit=20", "headers": bearer(data["heavy_token"])}]
    pages = [{"path": "/", "headers": {"Cookie": f"sessionid={s}"}} for s in data["sessions"]]
    likes = [
        {"method": "POST", "path": f"/api/v1/tweets/{rng.choice(data['originals'])}/like", "headers": bearer(t)}
        for t in data["tokens"] for _ in range(20)
    ]  # fmt: skip

    def someone_else(me: int) -> int:  # following oneself is refused (403), which isn't what this row measures
        while (other := rng.choice(data["users"])) == me:
            pass
        return other

    follows = [
        {"method": "POST", "path": f"/api/v1/users/{someone_else(me)}/{rng.choice(['follow', 'unfollow'])}",
         "headers": bearer(t)}
        for t, me in zip(data["tokens"], data["token_users"], strict=True) for _ in range(20)
    ]  # fmt: skip

    def posts(run: int) -> dict:
        # {n}: a number per request (bench/load.py), since the same post twice is a retry, not a post;
        # the run's number too, since each run's load process counts from 0.
        return {"requests": [
            {"method": "POST", "path": "/api/v1/tweets", "headers": bearer(t),
             "json": {"text": f"bench post {i}.{run}.{{n}} {RUN_MARK} #bench"}}
            for i, t in enumerate(data["tokens"])
        ]}  # fmt: skip

    rows = {  # name: (server, plan or plan for the n-th run); the table's order
        "home_api": (web, {"requests": home}),
        "mastodon_home": (web, {"requests": data["mastodon_home"]}),
        "home_api_sql": (sql, {"requests": home}),
        "heavy_redis": (web, {"requests": heavy}),
        "heavy_sql": (sql, {"requests": heavy}),
        "home_page": (web, {"requests": pages}),
        "list_api": (web, {"requests": data["lists"]}),
        "like": (web, {"requests": likes}),
        "follow": (web, {"requests": follows, "ok_statuses": [400]}),
        **search_rows(web, data),
        "post": (web, posts),
    }
    if args.only_home:
        rows = {name: rows[name] for name in ("home_api", "mastodon_home")}
    if args.only_search:
        rows = {name: rows[name] for name in ("search_tweets", "search_users")}
    if args.only_writes:
        rows = {name: rows[name] for name in ("like", "follow", "post")}
    results = measure_rows(rows, groups, timing, work_dir, store)
    if args.only_home or args.only_writes:
        return results
    results.update(search_plans())
    if args.only_search:
        return results

    say("home timeline while 4 clients upload the 2000x2000, 120-frame GIF (issue 15)")
    results["upload_contention"] = upload_contention(web, data, home, timing, work_dir)
    wait_for_worker_idle(store)
    seconds = VIDEO_SECONDS[args.scale]
    say(f"video: transcoding a {seconds} s 720p clip as the media worker does (bench/video.py)")
    results["video"] = video.measure(seconds, work_dir)
    say("fan-out latency: a post from the account with about 5,000 followers")
    results["fanout_latency"] = fanout_latency(web, data, store, rounds=args.fanout_rounds)
    say("fan-out throughput: one worker, posts from the biggest accounts")
    results["fanout_throughput"] = fanout_throughput(web, data, store)
    say("timeline ids alone: Redis against SQL for the heavy reader")
    results["id_reads"] = id_reads()
    say("a tweet cache at its best: a page's cards from Redis against the query")
    results["card_cache"] = card_cache.measure(rounds=300 if args.scale == "full" else 60)
    say("web push: one worker encrypting, signing and sending to a local push service (bench/push.py)")
    results["push"] = push.measure(count=1000 if args.scale == "full" else 150)
    say(f"live events: a like over HTTP to the frame, {len(data['recipients']):,} open sockets")
    results["live_event"] = live_events(stack, data, work_dir, actions=300 if args.scale == "full" else 60)
    say("memory: each process kind's peak, and what the home timelines cost in Redis")
    results["memory"] = {
        "peak_rss": {kind: memory.tree_peak_rss(stack.pids[kind]) for kind in ("web", "web-sql", "worker", "ws")},
        "redis_timelines": memory.timelines(store),
    }
    return results


def cpu_groups(stack: Stack, server: str) -> dict:
    """The processes whose CPU a row counts (bench/cpu.py): the web server under test (its main process and
    workers), the stack's PostgreSQL backends and Redis; the Celery worker too, in the JSON only."""
    from django.db import connection

    from timelines.store import TimelineStore

    groups = {"web": {"tree": [stack.pids[server]]}, "worker": {"tree": [stack.pids["worker"]]}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_database()")
        backend, database = cursor.fetchone()
    postmaster = cpu.postmaster_of(backend)
    if postmaster:  # not visible when the server is elsewhere: the column then says n/a
        groups["db"] = {"postmaster": postmaster, "database": database}
    redis = cpu.redis_pid(TimelineStore().redis.info("server").get("process_id"))
    if redis:
        groups["redis"] = {"pids": [redis]}
    return groups


def measure_rows(rows: dict, groups: dict, timing: dict, work_dir: Path, store) -> dict:
    """Every row ROUNDS times, interleaved (A B C ... A B C); each row's runs under {"runs": [...]}.

    After each run the worker's queues are let drain, so the tasks a row
    queued (fan-outs, notifications) don't land in the next row's window.
    """
    runs: dict[str, list] = {name: [] for name in rows}
    hits = {"hit": 0, "miss": 0}
    for run in range(ROUNDS):
        for name, (base, plan) in rows.items():
            say(f"{name}, run {run + 1} of {ROUNDS}")
            before = store.stats()
            plan = plan(run) if callable(plan) else plan
            # seed: the first run draws what a single run always drew; the second draws afresh
            result = load({**plan, "base_url": base, **timing, "seed": 1 + run, "cpu": groups[base]}, work_dir)
            runs[name].append(result)
            if name == "home_api":  # the cache hit ratio is the home-timeline test's
                after = store.stats()
                for key in hits:
                    hits[key] += after.get(key, 0) - before.get(key, 0)
            wait_for_worker_idle(store)
    results = {name: {"runs": found, "cpu_ms": mean_cpu(found)} for name, found in runs.items()}
    if "home_api" in rows:
        results["cache_hit_ratio"] = round(hits["hit"] / max(1, hits["hit"] + hits["miss"]), 4)
    return results


def mean_cpu(runs: list[dict]) -> dict:
    """CPU ms per request, the mean over a row's runs, per column (None where a run could not measure it)."""
    means = {}
    for key in ("web", "db", "redis", "total"):
        values = [run.get("cpu_ms", {}).get(key) for run in runs]
        means[key] = round(sum(values) / len(values), 3) if values and None not in values else None
    return means


def upload_contention(web: str, data: dict, home: list, timing: dict, work_dir: Path) -> dict:
    """The home timeline alone, then while 4 more clients keep uploading the GIF bomb: p95 side by side.

    The bomb costs seconds of CPU to decode; the upload must refuse it from
    its header (config/kernel/images.py), so the readers barely notice.
    """
    from PIL import Image

    bomb = work_dir / "bomb.gif"
    frames = [Image.new("P", (2000, 2000), index % 255) for index in range(120)]
    for index, frame in enumerate(frames):
        frame.putpixel((index, index), (index + 1) % 255)
    frames[0].save(bomb, format="GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    idle = load({"base_url": web, "requests": home, **timing}, work_dir)
    upload = {"field": "file", "path": str(bomb), "filename": "bomb.gif", "content_type": "image/gif"}
    uploads = [{"method": "POST", "path": "/api/v1/media/upload", "headers": bearer(t), "upload": upload}
               for t in data["tokens"][:4]]  # fmt: skip
    plan = work_dir / "uploads.json"
    plan.write_text(json.dumps({"base_url": web, "requests": uploads, "concurrency": 4, "ok_statuses": [413],
                                **timing, "duration": timing["duration"] + 2}))  # fmt: skip
    uploader = subprocess.Popen([PYTHON, "-m", "bench.load", str(plan)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    time.sleep(1)  # the uploads are under way before the readers start
    busy = load({"base_url": web, "requests": home, **timing}, work_dir)
    uploaded = json.loads(uploader.communicate(timeout=300)[0].strip().splitlines()[-1])
    ratio = busy["server_ms"]["p95"] / max(idle["server_ms"]["p95"] or 1, 0.001)
    return {"idle": idle, "with_uploads": busy, "uploads": uploaded, "p95_ratio": round(ratio, 2)}


def search_rows(web: str, data: dict) -> dict:
    """Tweet search (words, phrases, #tags, from:, -word; a fifth by top) and user search (username
    prefixes, name fragments, typos) over the API, as rows for measure_rows."""
    rng = random.Random(13)  # its own stream: the other tests draw what they drew before search was added
    tweets = searching.requests("tweets", data["search"]["tweet_queries"], data["tokens"], rng)
    users = searching.requests("users", data["search"]["user_queries"], data["tokens"], rng)
    return {"search_tweets": (web, {"requests": tweets}), "search_users": (web, {"requests": users})}


def search_plans() -> dict:
    """The query plans of a few searches (bench/searching.py)."""
    say("search query plans (EXPLAIN ANALYZE)")
    try:
        return {"plans": searching.search_plans()}
    except Exception as error:  # a plan that fails must not lose the rest of a long run
        return {"plans": {"error": f"{type(error).__name__}: {error}"}}


def live_events(stack: Stack, data: dict, work_dir: Path, actions: int) -> dict:
    plan = {
        "base_url": f"http://127.0.0.1:{stack.web_port}",
        "ws_url": f"ws://127.0.0.1:{stack.ws_port}/ws/",
        "ws_pid": stack.ws_pid,
        "liker_token": data["liker_token"],
        "recipients": data["recipients"],
        "actions": actions,
    }
    path = work_dir / "live.json"
    path.write_text(json.dumps(plan))
    result = subprocess.run([PYTHON, "-m", "bench.ws", str(path)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the live-event test failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def post_as(base_url: str, token: str, text: str) -> int:
    import urllib.request

    # The data set outlives a run: the same text again within two minutes would be answered as a
    # retry of the earlier post (docs/API.md), so each run's posts are its own.
    text = f"{text} ({RUN_MARK})"
    request = urllib.request.Request(
        f"{base_url}/api/v1/tweets", data=json.dumps({"text": text}).encode(), method="POST",
        headers={**bearer(token), "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read())["tweetId"])


def wait_for_worker_idle(store, timeout: float = 120) -> None:
    """Let the tasks a test queued (fan-outs, notifications) finish before the next test."""
    from config.celery import QUEUES

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(store.redis.llen(queue) for queue in QUEUES):
        time.sleep(0.2)


def fanout_latency(base_url: str, data: dict, store, rounds: int) -> dict:
    from social.graph.models import Follow

    # Followers as they are now: the follow/unfollow test before this one may have
    # made a reader unfollow the star, and fan-out rightly skips them.
    following_now = set(Follow.objects.filter(followee_id=data["star"]).values_list("follower_id", flat=True))
    followers = [f for f in data["star_followers_active"] if f in following_now and store.home_exists(f)]

    timings = []
    for round_number in range(rounds):
        started = time.perf_counter()
        tweet_id = post_as(base_url, data["star_token"], f"fan-out round {round_number}")
        missing = list(followers)
        while missing:
            with store.redis.pipeline(transaction=False) as pipe:
                for follower in missing:
                    pipe.zscore(store.home_key(follower), tweet_id)
                scores = pipe.execute()
            missing = [f for f, score in zip(missing, scores, strict=True) if score is None]
            if missing:
                if time.perf_counter() - started > 30:
                    raise RuntimeError(f"fan-out did not reach {len(missing)} followers in 30 s")
                time.sleep(0.005)
        timings.append((time.perf_counter() - started) * 1000)
        time.sleep(0.5)
    timings.sort()
    return {
        "followers_reached": len(followers),
        "rounds": rounds,
        "p50_ms": round(timings[len(timings) // 2], 1),
        "max_ms": round(timings[-1], 1),
    }


def fanout_throughput(base_url: str, data: dict, store, posts: int = 20) -> dict:
    """Posts from the biggest accounts; inserts per second of the worker's own fan-out time."""
    from tweets.models import Tweet

    authors = [(data["star"], data["star_token"]), *data["other_stars"]]
    before = store.stats()
    started = time.perf_counter()
    made = [post_as(base_url, authors[i % len(authors)][1], f"throughput {i}") for i in range(posts)]
    while Tweet.objects.filter(pk__in=made, fanned_out=False).exists():
        if time.perf_counter() - started > 120:
            raise RuntimeError("fan-out throughput test did not finish in 120 s")
        time.sleep(0.05)
    after = store.stats()
    inserted = after.get("inserted", 0) - before.get("inserted", 0)
    worker_s = (after.get("fanout_ms", 0) - before.get("fanout_ms", 0)) / 1000
    return {
        "posts": posts,
        "inserted": inserted,
        "worker_seconds": round(worker_s, 3),
        "inserts_per_s": round(inserted / worker_s) if worker_s else None,
        "wall_seconds_incl_posting": round(time.perf_counter() - started, 2),
    }


def id_reads(rounds: int = 500) -> dict:
    """The timeline read alone, for the heavy reader: 20 ids from Redis against the same from SQL."""
    from django.db.models import Q

    from accounts.models import User
    from social.graph.models import Follow
    from timelines.store import TimelineStore
    from tweets.models import Tweet

    store = TimelineStore()
    heavy = User.objects.get(username="reader1000")
    followed = Follow.objects.filter(follower=heavy).values("followee_id")
    newest = Tweet.objects.filter(Q(author=heavy) | Q(author_id__in=followed)).order_by("-id")
    readers = {
        "redis": lambda: store.read_home(heavy.pk, None, 20),
        "sql": lambda: list(newest.values_list("id", flat=True)[:20]),
    }
    timings = {}
    for label, read in readers.items():
        read()
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            read()
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[label] = {
            "p50": round(samples[len(samples) // 2], 3),
            "p95": round(samples[int(len(samples) * 0.95)], 3),
        }
    return timings


# --- report ------------------------------------------------------------------------------------


def card_cache_line(results: dict) -> str:
    sql, redis = results["card_cache"]["sql"]["cpu_ms"], results["card_cache"]["redis"]["cpu_ms"]
    home = results["home_api"]["cpu_ms"]["total"]
    saved = (sql["total"] or 0) - (redis["total"] or 0)
    share = f"{saved / home * 100:.0f} % of a home API request's {home} ms" if home else "n/a"
    return (
        f"- Tweet cache at its best (every card in Redis, bench/card_cache.py): a page's 25 cards cost "
        f"{sql['total']} ms of CPU from the query (web {sql['web']}, db {sql['db']}), {redis['total']} ms "
        f"from Redis (web {redis['web']}, redis {redis['redis']}): {saved:.2f} ms saved, {share}"
    )


def upload_line(row: dict) -> str:
    idle, busy, uploads = row["idle"]["server_ms"], row["with_uploads"]["server_ms"], row["uploads"]
    refused = uploads["error_samples"].get("413", 0) + uploads["count"] - uploads["errors"]
    return (
        f"- Home timeline p95 {idle['p95']} ms idle, {busy['p95']} ms while 4 clients uploaded the "
        f"2000x2000, 120-frame GIF ({row['p95_ratio']}x; {uploads['count']} uploads answered, p95 "
        f"{uploads['server_ms']['p95']} ms, {refused} refused with 413; {TARGETS['upload_contention']})"
    )


def both(runs: list[dict], pick) -> str:
    """One cell with every run's figure side by side: "8.8 / 9.1"."""
    values = [pick(run) for run in runs]
    return " / ".join("n/a" if value is None else f"{value:g}" for value in values)


def mean_p95(row: dict) -> float:
    values = [run["server_ms"]["p95"] or 0 for run in row["runs"]]
    return sum(values) / len(values)


def compare(results: dict, record: dict | None) -> dict[str, float | None]:
    """Each row's total CPU per request (mean of its runs) as a ratio to the record's; None where either lacks it."""
    rows = (record or {}).get("rows", {})
    ratios = {}
    for name in (name for name in TABLE if name in results):
        now, then = results[name]["cpu_ms"]["total"], rows.get(name, {}).get("cpu_ms", {}).get("total")
        ratios[name] = round(now / then, 3) if now is not None and then else None
    return ratios


def versus(ratio: float | None) -> str:
    if ratio is None:
        return "no record"
    change = f"{(ratio - 1) * 100:+.0f} %"
    return f"{change} WORSE" if ratio > WORSE else change


def report(results: dict, args, record: dict | None = None, record_path: str = "") -> str:
    rows = [
        "| test | p50 ms | p95 ms | p99 ms | req/s | errors | CPU ms/req web | db | redis | total | vs record "
        "| others % | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    ratios = compare(results, record)
    for name in (name for name in TABLE if name in results):
        runs = results[name]["runs"]
        cells = [both(runs, lambda run, q=q: run["server_ms"][q]) for q in ("p50", "p95", "p99")]
        cells += [both(runs, lambda run: run["rps"]), both(runs, lambda run: run["errors"])]
        cells += [both(runs, lambda run, k=k: run.get("cpu_ms", {}).get(k)) for k in ("web", "db", "redis", "total")]
        others = both(runs, lambda run: run.get("others_cpu_pct"))
        rows.append(f"| {name} | {' | '.join(cells)} | {versus(ratios[name])} | {others} | {TARGETS.get(name, '')} |")
    worse = [f"{name} ({versus(ratio)})" for name, ratio in ratios.items() if ratio is not None and ratio > WORSE]
    if record is None:
        against = f"- CPU per request: no record to compare with yet ({record_path}; `--record` writes one)."
    else:
        meta = record.get("meta", {})
        where = f"{record_path}, {meta.get('when', '?')}, commit {meta.get('commit', '?')}"
        then, now = meta.get("calibration_ms"), results.get("meta", {}).get("calibration_ms")
        if then and now:
            where += (
                f"; a fixed piece of work took {min(now)} ms of CPU now (before and after the rows: "
                f"{' / '.join(map(str, now))}), {min(then)} ms then: {min(now) / min(then):.2f}x"
            )
        against = (
            f"- CPU per request more than {(WORSE - 1) * 100:.0f} % above the record ({where}): {', '.join(worse)}."
            if worse
            else f"- CPU per request: no row more than {(WORSE - 1) * 100:.0f} % above the record ({where})."
        )
    head = [
        f"Scale: {args.scale}; web server: {args.server}; {CONCURRENCY} clients; {args.duration}s per run; "
        f"every row run {ROUNDS} times, interleaved, shown as run 1 / run 2; server-side latency (Server-Timing); "
        "CPU ms per request of the web server's processes, the stack's PostgreSQL backends and Redis "
        "over the measured window.",
        "",
        *rows,
        "",
        against,
    ]
    plans = results.get("plans")
    searched = [f"- Search query plans (EXPLAIN ANALYZE): bench/results/{args.scale}-plans.txt"] if plans else []
    if plans and "error" in plans:
        searched = [f"- Search query plans: not recorded ({plans['error']})"]
    if args.only_home:
        return "\n".join([*head, bench_mastodon.line(results)])
    if args.only_writes:
        return "\n".join(head)
    if args.only_search:
        return "\n".join([*head, *searched])
    live = results["live_event"]
    heavy_ratio = mean_p95(results["heavy_sql"]) / max(mean_p95(results["heavy_redis"]) or 1, 0.01)
    lines = [
        *head,
        f"- Redis vs SQL at p95 (mean of the runs), reader following {results['meta']['heavy_following']:,}: "
        f"{heavy_ratio:.1f}x "
        f"({TARGETS['redis_vs_sql']})",
        f"- Timeline cache hit ratio during the home test: {results['cache_hit_ratio'] * 100:.1f} % "
        f"({TARGETS['cache_hit_ratio']})",
        f"- Fan-out to {results['fanout_latency']['followers_reached']:,} active followers: "
        f"p50 {results['fanout_latency']['p50_ms']} ms, max {results['fanout_latency']['max_ms']} ms "
        f"({TARGETS['fanout_latency']})",
        f"- Fan-out throughput: {results['fanout_throughput']['inserts_per_s']:,} inserts/s "
        f"({results['fanout_throughput']['inserted']:,} in {results['fanout_throughput']['worker_seconds']} s of "
        f"worker time; {TARGETS['fanout_throughput']})",
        f"- The timeline read alone (20 ids, heavy reader): Redis p95 {results['id_reads']['redis']['p95']} ms, "
        f"SQL p95 {results['id_reads']['sql']['p95']} ms "
        f"({results['id_reads']['sql']['p95'] / max(results['id_reads']['redis']['p95'], 0.001):.1f}x)",
        bench_mastodon.line(results),
        card_cache_line(results),
        upload_line(results["upload_contention"]),
        video.line(results["video"]),
        push.line(results["push"]),
        f"- Live event, a like over HTTP to the `notification` frame at the recipient, "
        f"{live['sockets']:,} sockets open: p50 {live['ms']['p50']} ms, p95 {live['ms']['p95']} ms, "
        f"p99 {live['ms']['p99']} ms over {live['actions']} likes, {live['failures']} failed "
        f"({TARGETS['live_event']})",
        f"- WebSocket process memory: {live['server_rss_mb']['idle']} MB idle, "
        f"{live['server_rss_mb']['with_sockets']} MB with {live['sockets']:,} sockets: "
        f"{live['server_mb_per_1000_sockets']} MB per 1,000 sockets",
        *memory_lines(results["memory"]),
        *celebrity_lines(results.get("celebrities")),
        *grid_lines(results.get("grid")),
        *searched,
        "- Client-side latencies (including queueing at 16 clients) are in the JSON.",
    ]
    return "\n".join(lines)


def celebrity_lines(found: dict | None) -> list[str]:
    if not found:
        return []
    reads = "; ".join(
        f"{count}: p95 {row['p95_ms']} ms, CPU {row['cpu_ms']['total']} ms/read "
        f"({row['from_celebrities']} of {row['entries']} posts theirs)"
        for count, row in found["reads"].items()
    )
    fan = found["fan_out"]
    return [
        f"- Celebrity path ({found['celebrities']} accounts above {found['threshold']:,} followers; "
        f"bench/celebrities.py), home page of 20 read with 0 / 1 / 5 / 20 celebrities followed: {reads}",
        f"- A celebrity post ({fan['followers']:,} followers, all active): {fan['as_celebrity']['inserted']:,} "
        f"timeline inserts in {fan['as_celebrity']['ms']} ms, against {fan['as_ordinary']['inserted']:,} in "
        f"{fan['as_ordinary']['ms']} ms fanned out as an ordinary account's: {fan['inserts_saved']:,} inserts saved",
    ]


def grid_lines(found: dict | None) -> list[str]:
    """The scale grid as a table: one row per tweets stored and followees, Redis against SQL."""
    if not found:
        return []
    lines = [
        "",
        f"Home read, Redis against SQL (bench/grid.py; {found['users']:,} accounts; first page of 20, in process):",
        "",
        "| tweets | following | Redis p95 ms | Redis CPU ms/read | SQL p95 ms | SQL CPU ms/read (db) | SQL/Redis CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for tweets, readers in found["grid"].items():
        for following, row in readers.items():
            redis, sql = row["redis"], row["sql"]
            ratio = (sql["cpu_ms"]["total"] or 0) / max(redis["cpu_ms"]["total"] or 0, 0.001)
            lines.append(
                f"| {int(tweets):,} | {int(following):,} | {redis['p95_ms']} | {redis['cpu_ms']['total']} | "
                f"{sql['p95_ms']} | {sql['cpu_ms']['total']} ({sql['cpu_ms']['db']}) | {ratio:.1f}x |"
            )
    return [*lines, ""]


def memory_lines(found: dict) -> list[str]:
    peaks = ", ".join(
        f"{kind} {row['total_mb']} MB ({row['processes']} process{'es' if row['processes'] > 1 else ''}, "
        f"largest {row['largest_mb']} MB)"
        for kind, row in found["peak_rss"].items()
    )
    lines = [f"- Peak RSS by process kind (VmHWM, whole run): {peaks}"]
    redis = found["redis_timelines"]
    if redis.get("sampled"):
        line = (
            f"- Redis home timelines: {redis['timelines']:,} built, {redis['mb_per_1000_timelines']} MB per 1,000 "
            f"({redis['entries_per_timeline']:g} entries each), {redis['bytes_per_entry']:g} bytes per entry "
            f"({redis['bytes_per_entry'] / redis['raw_entry_bytes']:.1f}x the {redis['raw_entry_bytes']} bytes of data"
        )
        bare = redis.get("bare_zset")
        if bare:
            line += (
                f"; {redis['vs_bare_zset']}x a bare sorted set of the same {bare['entries']} entries, "
                f"{bare['bytes_per_entry']:g} bytes each, ZADD {bare['insert_us']:g} µs; as listpack "
                f"{bare['listpack_bytes_per_entry']:g} bytes each, ZADD {bare['listpack_insert_us']:g} µs"
            )
        lines.append(line + ")")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SCALE_USERS, default="full")
    parser.add_argument("--server", choices=["granian", "uvicorn", "daphne"], default="granian")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--fanout-rounds", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the data set even if it is there.")
    parser.add_argument("--record", action="store_true",
                        help="Save this run's CPU per request as the record later runs compare with "
                             "(bench/baseline/<scale>.json, committed; `make bench` does).")  # fmt: skip
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--only-home", action="store_true", help="Only home_api and mastodon_home.")
    only.add_argument("--only-search", action="store_true", help="Only tweet and user search, and their plans.")
    only.add_argument("--only-writes", action="store_true", help="Only like, follow and post (an A/B of write paths).")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None)
    add_size_options(parser)  # --users, --tweets, ...: passed on to bench.build
    args = parser.parse_args(argv)
    try:
        args.dataset = parameters(args.scale, 5, **size_options(args))  # 5: bench.build's default seed
    except ScaleError as error:
        parser.error(str(error))
    args.database_url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    args.redis_url = args.redis_url or os.environ.get("BENCH_REDIS_URL")
    if args.database_url and args.redis_url:  # a given stack: measure it as it is
        measure(args)
        return
    # Else servers of the bench's own with the production settings (docs/OPERATIONS.md), so the figures
    # don't depend on how the machine's are configured; the data set stays in .data/bench for the next run.
    name = "chirp_bench" if args.scale == "full" else "chirp_bench_small"
    say("starting the benchmark's own PostgreSQL and Redis (bench/services.py, data in .data/bench)")
    with services.running(name) as (database_url, redis_url):
        args.database_url = args.database_url or database_url
        args.redis_url = args.redis_url or redis_url
        measure(args)


def measure(args) -> None:
    """Build the data set if needed, migrate, start the stack, measure and report."""
    env = stack_env(args)
    ensure_data(env, args)
    say("migrating (the data set may predate the newest tables)")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    say("collecting static files (production serves them hashed)")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    rng = random.Random(7)
    say("preparing clients and timelines")
    data = prepare(args.scale, rng, warm=not args.only_search)
    log_dir = Path(tempfile.mkdtemp(prefix="chirp-bench-logs-"))
    stack = Stack(env, args.server, log_dir)
    calibration = [cpu.calibrate()]  # before and after the rows: the machine's speed may change between
    say(f"starting the stack ({args.server}, logs in {log_dir})")
    stack.start()
    try:
        results = scenarios(stack, data, args, rng)
    finally:
        stack.stop()
    if not (args.only_home or args.only_search or args.only_writes):
        say("the celebrity path: reads with 0, 1, 5 and 20 followed celebrities, and the fan-out saved")
        results["celebrities"] = experiment_rows(args, "bench.celebrities", "_celebrities", redis_db=1)
        say("Redis against SQL by followees and tweets stored (the scale grid)")
        results["grid"] = experiment_rows(args, "bench.grid", "_grid", redis_db=2)
    calibration.append(cpu.calibrate())
    results["meta"] = {"scale": args.scale, "server": args.server, "heavy_following": data["heavy_following"],
                       "dataset": args.dataset, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(),
                       "calibration_ms": calibration}  # fmt: skip
    record_path = BASELINE / (args.scale + ("" if args.server == "granian" else f"-{args.server}") + ".json")
    record = json.loads(record_path.read_text()) if record_path.exists() else None
    text = report(results, args, record, str(record_path.relative_to(ROOT)))
    print("\n" + text + "\n")
    print(json.dumps(results))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    part = "-search" if args.only_search else "-writes" if args.only_writes else ""
    stem = f"{args.scale}-{args.server}{part}"  # a part never overwrites a whole
    (out / f"{stem}.json").write_text(json.dumps(results, indent=2))
    (out / f"{stem}.md").write_text(text + "\n")
    if "plans" in results:
        (out / f"{args.scale}-plans.txt").write_text(searching.plans_text(results["plans"], args.scale))
    if args.record:
        record_path.parent.mkdir(exist_ok=True)
        record_path.write_text(json.dumps(new_record(results, record), indent=2) + "\n")
        say(f"recorded CPU per request in {record_path.relative_to(ROOT)}: commit it")


def experiment_rows(args, module: str, suffix: str, redis_db: int) -> dict:
    """An in-process experiment (bench/celebrities.py, bench/grid.py) on data sets of its own: in databases
    named after the bench's (+ `suffix`) and a Redis database of its own, so the bench's data stay as built."""
    from urllib.parse import urlsplit, urlunsplit

    database, redis = urlsplit(args.database_url), urlsplit(args.redis_url)
    own_redis = redis_db if redis.path.strip("/") in ("", "0") else 0  # any database but the bench's
    env = {
        **stack_env(args),
        "DATABASE_URL": urlunsplit(database._replace(path=database.path + suffix)),
        "REDIS_URL": urlunsplit(redis._replace(path=f"/{own_redis}")),
    }
    found = subprocess.run(
        [PYTHON, "-m", module, "--scale", args.scale], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def new_record(results: dict, previous: dict | None) -> dict:
    """The rows of this run (a partial run, --only-home, --only-search or --only-writes, keeps the other rows)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    rows = dict((previous or {}).get("rows", {}))
    for name in (name for name in TABLE if name in results):
        runs = results[name]["runs"]
        rows[name] = {
            "cpu_ms": results[name]["cpu_ms"],
            "runs_cpu_ms_total": [run.get("cpu_ms", {}).get("total") for run in runs],
            "p95_ms": [run["server_ms"]["p95"] for run in runs],
            "rps": [run["rps"] for run in runs],
            "others_cpu_pct": [run.get("others_cpu_pct") for run in runs],  # how quiet the machine was
        }
    meta = {**results["meta"], "commit": commit.stdout.strip() or None}
    return {"meta": meta, "rows": rows, "extras": {**(previous or {}).get("extras", {}), **capacity_extras(results)}}


def capacity_extras(results: dict) -> dict:
    """What the capacity model (bench/capacity.py) reads besides CPU per request, where this run measured it."""
    found = {}
    if (fan := results.get("fanout_throughput")) and fan.get("inserts_per_s"):
        found["fanout_inserts_per_s"] = fan["inserts_per_s"]
    if redis := results.get("memory", {}).get("redis_timelines"):
        found["redis_bytes_per_entry"] = redis["bytes_per_entry"]
    if live := results.get("live_event"):
        found["ws_mb_per_1000_sockets"] = live["server_mb_per_1000_sockets"]
    return found


def ensure_data(env: dict, args) -> None:
    """Build the data set unless the database already holds it."""
    import psycopg

    url = args.database_url
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as conn:
        # The sizes, seed and generator version the builder recorded (None before it recorded them).
        built = stored_parameters(conn)
    if args.rebuild or built != args.dataset:
        say("building the data set")
        subprocess.run(
            [PYTHON, "-m", "bench.build", "--scale", args.scale, *size_argv(args)], cwd=ROOT, env=env, check=True
        )


if __name__ == "__main__":
    main()
