"""The capacity model: how many processes and servers a site needs, from a recorded `make bench` run.

    python -m bench.capacity --dau 1000000 --posts-per-day 5000000
    python -m bench.capacity --check        # the model against the bench's own runs, at both scales

The unit is CPU time per request, measured by `make bench` for each row across the
web process, its PostgreSQL backend and Redis (bench/cpu.py), and recorded with the
fan-out worker's inserts per second and the memory figures in bench/baseline/<scale>.json.
A request mix per daily active person turns the people and posts of a site into
requests per second at the busiest hour; each part's CPU per request turns those
into cores of web, PostgreSQL and Redis, and the posts into timeline inserts for
the fan-out workers. Every part is sized to run at UTILISATION of its cores, the
headroom for bursts and for a machine lost. docs/OPERATIONS.md "Capacity" works an
example through and explains each assumption; `--help` lists the knobs.

`--check` tests the model's premise on the bench's own runs: that a row's
throughput is its CPU per request dividing the cores it runs on. On the bench
machine (2 cores, the load generator on the same machine) requests per second
times CPU milliseconds per request should come to the same share of the two
cores for every read row at both scales; a row whose share is lower spends CPU
the row does not count (post and follow: the Celery worker's fan-out and
notifications, which the model counts separately).
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

BASELINE = Path(__file__).resolve().parent / "baseline"

UTILISATION = 0.6  # of each part's cores at the busiest hour: the rest is room for bursts and a lost machine
PEAK_FACTOR = 3.0  # the busiest hour's rate against the day's average (a diurnal curve like Twitter's)
SECONDS_A_DAY = 86_400

# What one daily active person does in a day, by bench row (assumptions, written down in OPERATIONS).
MIX = {
    "home_api": 20.0,  # timeline refreshes from apps (API, Mastodon API)
    "home_page": 10.0,  # and from the web page
    "like": 10.0,
    "follow": 0.5,
    "search_tweets": 2.0,
    "search_users": 1.0,
}
READ_ROWS = ("home_api", "home_page", "search_tweets", "search_users")  # what a replica may serve

# Redis CPU per timeline insert: a pipelined ZADD is 0.46 µs of Redis's own time (bench/memory.py's bare
# sorted set) plus reading the command off the socket; 1.5 µs is what the fan-out's pipelines cost with it.
REDIS_US_PER_INSERT = 1.5
# The share of the check's cores the load generator leaves the rows: read rows must come within this band.
# The generator's cost is about fixed per request, so the heavier a request the more it leaves: the home
# page at 17 ms of CPU a request took 95.4 % (2026-12-05).
CHECK_BAND = (0.80, 0.97)


@dataclass(frozen=True)
class Record:
    """One recorded `make bench` run: CPU ms per request by row and part, and the run's extras."""

    path: Path
    meta: dict
    rows: dict
    extras: dict

    @classmethod
    def load(cls, path: Path) -> Record:
        data = json.loads(Path(path).read_text())
        return cls(Path(path), data["meta"], data["rows"], data.get("extras", {}))

    def cpu(self, row: str, part: str = "total") -> float:
        return self.rows[row]["cpu_ms"][part]

    @property
    def name(self) -> str:
        meta = self.meta
        return f"{self.path.name} ({meta.get('scale')} scale, commit {meta.get('commit')}, {meta.get('when')})"


@dataclass(frozen=True)
class Site:
    dau: int  # daily active people
    posts_per_day: int
    mau: int  # people active in the last 30 days: those whose home timeline Redis keeps
    registered: int
    followers_per_post: float  # the mean followers of an ordinary (not celebrity) poster
    celebrity_post_share: float  # posts by accounts above TIMELINE_FANOUT_MAX_FOLLOWERS: merged at read time
    timeline_entries: int  # entries kept per home timeline (TIMELINE_MAX_ENTRIES)
    concurrent_share: float  # of daily active people, online at once at the busiest hour (sockets)


def peak_rates(site: Site) -> dict[str, float]:
    """Requests per second at the busiest hour, by bench row."""
    rates = {row: site.dau * per_day / SECONDS_A_DAY * PEAK_FACTOR for row, per_day in MIX.items()}
    rates["post"] = site.posts_per_day / SECONDS_A_DAY * PEAK_FACTOR
    return rates


def size(record: Record, site: Site, utilisation: float = UTILISATION) -> dict:
    """The cores, processes and servers each part needs for `site`, from `record`'s CPU per request."""
    rates = peak_rates(site)
    cores = {
        part: sum(rate * record.cpu(row, part) for row, rate in rates.items()) / 1000 for part in ("web", "db", "redis")
    }
    read_db = sum(rates[row] * record.cpu(row, "db") for row in READ_ROWS) / 1000

    # Fan-out: each ordinary post goes into the kept timeline of each of its author's followers.
    kept = min(1.0, site.mau / site.registered)
    inserts_per_post = site.followers_per_post * kept * (1 - site.celebrity_post_share)
    inserts = rates["post"] * inserts_per_post
    per_worker = record.extras["fanout_inserts_per_s"]
    cores["redis"] += inserts * REDIS_US_PER_INSERT / 1_000_000

    memory_gb = site.mau * site.timeline_entries * record.extras["redis_bytes_per_entry"] / 1e9
    sockets = site.dau * site.concurrent_share
    ws_mb_per_1000 = record.extras["ws_mb_per_1000_sockets"]

    def need(load: float) -> int:
        return max(1, math.ceil(load / utilisation))

    return {
        "rates": {row: round(rate, 1) for row, rate in rates.items()},
        "requests_per_s": round(sum(rates.values()), 1),
        "cores": {part: round(value, 2) for part, value in cores.items()},
        "web_processes": need(cores["web"]),  # one granian worker a core
        "postgres_cores": {
            "primary": need(cores["db"] - read_db * 0.9),  # writes, and a writer's own reads for the pin window
            "replicas": need(read_db * 0.9),
        },
        "fanout": {
            "inserts_per_post": round(inserts_per_post, 1),
            "inserts_per_s": round(inserts),
            "workers": need(inserts / per_worker),
        },
        "redis": {
            "timeline_gb": round(memory_gb, 1),
            "cores": round(cores["redis"], 2),
            # Redis runs commands on one core: a master per 0.6 of a core, and per 16 GB of timelines.
            "masters": max(need(cores["redis"]), math.ceil(memory_gb / 16)),
        },
        "ws": {
            "sockets": round(sockets),
            "processes": max(1, math.ceil(sockets / 10_000)),  # 10,000 sockets a process
            "memory_gb": round(sockets / 1000 * ws_mb_per_1000 / 1000, 1),
        },
    }


def check(records: list[Record]) -> list[dict]:
    """Per row and run: req/s x CPU ms/request, as the share of the bench machine's cores it used."""
    found = []
    for record in records:
        cores = record.meta.get("cpus") or 2
        for row, values in record.rows.items():
            for run, (rps, cpu_ms) in enumerate(zip(values["rps"], values["runs_cpu_ms_total"], strict=True), 1):
                share = rps * cpu_ms / 1000 / cores
                found.append({
                    "scale": record.meta.get("scale"), "row": row, "run": run, "rps": rps, "cpu_ms": cpu_ms,
                    "share": round(share, 3), "read": row in READ_ROWS or row.startswith(("home", "heavy")),
                    "predicted_rps": round(cores * 1000 / cpu_ms, 1),
                })  # fmt: skip
    return found


def check_text(found: list[dict]) -> str:
    lines = [
        "| scale | row | run | req/s | CPU ms/req | model's req/s at 100 % | share of the cores used |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in found:
        lines.append(
            f"| {item['scale']} | {item['row']} | {item['run']} | {item['rps']:g} | {item['cpu_ms']:g} | "
            f"{item['predicted_rps']:g} | {item['share']:.0%} |"
        )
    reads = [item["share"] for item in found if item["read"]]
    lines.append(
        f"\nRead rows: {min(reads):.0%} to {max(reads):.0%} of the cores "
        f"(expected within {CHECK_BAND[0]:.0%}–{CHECK_BAND[1]:.0%}: the load generator has the rest)."
    )
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "es" if noun.endswith("s") else "s")


def size_text(record: Record, site: Site, sized: dict) -> str:
    fan, redis, ws, pg = sized["fanout"], sized["redis"], sized["ws"], sized["postgres_cores"]
    return "\n".join([
        f"From {record.name}:",
        f"- {site.dau:,} daily active people, {site.posts_per_day:,} posts a day: "
        f"{sized['requests_per_s']:,} requests/s at the busiest hour ({PEAK_FACTOR:g}x the average).",
        f"- Web: {sized['cores']['web']} cores busy -> {_count(sized['web_processes'], 'web process')} (one a core, at "
        f"{UTILISATION:.0%}).",
        f"- PostgreSQL: {sized['cores']['db']} cores busy -> a primary of {_count(pg['primary'], 'core')} and "
        f"{_count(pg['replicas'], 'core')} of replicas.",
        f"- Fan-out: {fan['inserts_per_post']:g} inserts a post, {fan['inserts_per_s']:,} inserts/s -> "
        f"{_count(fan['workers'], 'worker process')} on -Q timelines.",
        f"- Redis: {redis['cores']} cores busy, {redis['timeline_gb']} GB of home timelines -> "
        f"{_count(redis['masters'], 'master')} (and a replica each).",
        f"- WebSockets: {ws['sockets']:,} sockets -> {_count(ws['processes'], 'ws process')}, {ws['memory_gb']} GB.",
    ])  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", type=Path, default=BASELINE / "full.json")
    parser.add_argument("--check", action="store_true", help="The model against the small and full records.")
    parser.add_argument("--dau", type=int, default=100_000)
    parser.add_argument("--posts-per-day", type=int, default=500_000)
    parser.add_argument("--mau", type=int, help="people active in 30 days (default 2 x dau)")
    parser.add_argument("--registered", type=int, help="accounts (default 5 x dau)")
    seeds = "the seeds': 1.5 M follows among 10,000 people"
    parser.add_argument("--followers-per-post", type=float, default=150.0, help=f"of an ordinary poster ({seeds})")
    parser.add_argument("--celebrity-post-share", type=float, default=0.05)
    parser.add_argument("--timeline-entries", type=int, default=800)
    parser.add_argument("--concurrent-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    if args.check:
        print(check_text(check([Record.load(BASELINE / f"{scale}.json") for scale in ("small", "full")])))
        return
    site = Site(
        dau=args.dau, posts_per_day=args.posts_per_day, mau=args.mau or 2 * args.dau,
        registered=args.registered or 5 * args.dau, followers_per_post=args.followers_per_post,
        celebrity_post_share=args.celebrity_post_share, timeline_entries=args.timeline_entries,
        concurrent_share=args.concurrent_share,
    )  # fmt: skip
    record = Record.load(args.record)
    print(size_text(record, site, size(record, site)))


if __name__ == "__main__":
    main()
