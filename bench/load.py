"""The load generator: a separate process, N concurrent keep-alive clients, fixed duration.

    python -m bench.load plan.json

The plan names the base URL, concurrency, warm-up and measured seconds, and a
list of requests to pick from at random. It prints one JSON object: counts,
errors, requests per second, and p50/p95/p99 in milliseconds, both as the
client saw them and as the server reported them (`Server-Timing: app;dur=`).
If the plan names process groups under "cpu" (bench/cpu.py), it also reports
their CPU milliseconds per request, sampled from /proc at the two edges of
the measured window, here, where those edges are known exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import time

import aiohttp

from bench import cpu


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 2)


def server_ms(headers) -> float | None:
    timing = headers.get("Server-Timing", "")
    for part in timing.split(";"):
        if part.startswith("dur="):
            return float(part[4:])
    return None


_files: dict[str, bytes] = {}


def form(upload: dict | None) -> aiohttp.FormData | None:
    """A multipart body with one file (`{"field", "path", "filename", "content_type"}`), read once."""
    if upload is None:
        return None
    if upload["path"] not in _files:
        with open(upload["path"], "rb") as handle:
            _files[upload["path"]] = handle.read()
    data = aiohttp.FormData()
    data.add_field(upload["field"], _files[upload["path"]], filename=upload["filename"],
                   content_type=upload["content_type"])  # fmt: skip
    return data


_sent = itertools.count()


def _body(spec: dict):
    """The request's JSON, with `{n}` in its strings replaced by a number no other request got: the same
    post sent twice within two minutes is taken for a retry of the first (tweets.services.tweet_create)."""
    found = spec.get("json")
    if isinstance(found, dict) and any(isinstance(v, str) and "{n}" in v for v in found.values()):
        number = str(next(_sent))
        return {k: v.replace("{n}", number) if isinstance(v, str) else v for k, v in found.items()}
    return found


async def client(session, plan, stop_at: float, measure_from: float, results: dict, rng: random.Random) -> None:
    requests = plan["requests"]
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            return
        spec = rng.choice(requests)
        started = time.perf_counter()
        try:
            async with session.request(
                spec.get("method", "GET"), plan["base_url"] + spec["path"], headers=spec.get("headers"),
                json=_body(spec), data=form(spec.get("upload")), allow_redirects=False,
            ) as response:  # fmt: skip
                await response.read()
                status, timing = response.status, server_ms(response.headers)
        except aiohttp.ClientError as error:
            status, timing = f"error: {type(error).__name__}", None
        elapsed = (time.perf_counter() - started) * 1000
        if started < measure_from:
            continue  # warm-up
        results["count"] += 1
        if not ((isinstance(status, int) and status < 400) or status in plan.get("ok_statuses", [])):
            results["errors"] += 1
            results["error_samples"].setdefault(str(status), 0)
            results["error_samples"][str(status)] += 1
        results["client"].append(elapsed)
        if timing is not None:
            results["server"].append(timing)


async def run(plan: dict) -> dict:
    concurrency = plan.get("concurrency", 16)
    warmup, duration = plan.get("warmup", 2), plan.get("duration", 10)
    results = {"count": 0, "errors": 0, "error_samples": {}, "client": [], "server": []}
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        measure_from, stop_at = start + warmup, start + warmup + duration
        rng = random.Random(plan.get("seed", 1))
        clients = [
            client(session, plan, stop_at, measure_from, results, random.Random(rng.random()))
            for _ in range(concurrency)
        ]
        samples = await asyncio.gather(cpu_window(plan.get("cpu"), measure_from, stop_at), *clients)
    return {
        "count": results["count"],
        "errors": results["errors"],
        "error_samples": results["error_samples"],
        "rps": round(results["count"] / duration, 1),
        "client_ms": {f"p{q}": percentile(results["client"], q) for q in (50, 95, 99)},
        "server_ms": {f"p{q}": percentile(results["server"], q) for q in (50, 95, 99)},
        **({"cpu_ms": cpu.per_request(*samples[0], results["count"])} if samples[0] else {}),
        **({"others_cpu_pct": cpu.others_percent(*samples[0], duration)} if samples[0] else {}),
    }


async def cpu_window(groups: dict | None, measure_from: float, stop_at: float) -> tuple | None:
    """CPU samples of the servers' processes at the start and the end of the measured window."""
    if not groups:
        return None
    await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
    before = cpu.sample(groups)
    await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
    return before, cpu.sample(groups)


def main() -> None:
    with open(sys.argv[1]) as handle:
        plan = json.load(handle)
    print(json.dumps(asyncio.run(run(plan))))


if __name__ == "__main__":
    main()
