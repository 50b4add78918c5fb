"""Memory under the benchmark: peak RSS of each process kind, and what home timelines cost in Redis.

Peak RSS is the kernel's high-water mark of each process (VmHWM in
/proc/<pid>/status), read at the end of the run, so it covers every row. A
kind is a process tree (the web server's main process and its workers; the
Celery worker); the WebSocket process's cost per 1,000 sockets is bench/ws.py's.

Timelines: MEMORY USAGE of a sample of the current generation's home sets,
per set and per entry, against two yardsticks: the same entries in a bare
sorted set of Redis's default encoding (what storing them costs at all; our
key names, the sentinel and the trim slack are the difference), and the
16 bytes of data each entry is (an 8-byte id, an 8-byte score). A bare set
built with the compact encoding (listpack, which Redis uses only up to
`zset-max-listpack-entries`, 128 by default) shows what that setting would
save, with the price of an insert in each.
"""

from __future__ import annotations

from pathlib import Path

from bench import cpu

PROC = cpu.PROC
RAW_ENTRY_BYTES = 16  # an 8-byte id and an 8-byte score
SCRATCH = "bench:memory:zset"


def peak_rss_kb(pid: int, proc: Path = PROC) -> int | None:
    """The process's peak resident set (VmHWM), in kB; None once it has gone."""
    try:
        for line in (proc / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def tree_peak_rss(root: int, proc: Path = PROC) -> dict:
    """Per process tree: how many processes, the largest peak and the sum of peaks, in MB."""
    peaks = [kb for pid in cpu.descendants(cpu.processes(proc), [root]) if (kb := peak_rss_kb(pid, proc))]
    return {
        "processes": len(peaks),
        "largest_mb": round(max(peaks, default=0) / 1024, 1),
        "total_mb": round(sum(peaks) / 1024, 1),
    }


def _usage(client, keys: list[bytes]) -> list[tuple[int, int]]:
    """(bytes, members) per key: MEMORY USAGE with every element counted (SAMPLES 0), and ZCARD."""
    with client.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.memory_usage(key, samples=0)
            pipe.zcard(key)
        found = pipe.execute()
    return [(found[i] or 0, found[i + 1]) for i in range(0, len(found), 2)]


def _zadd_stats(client) -> tuple[int, int]:
    """(calls, microseconds) Redis has spent in ZADD so far: its own time, without the round trips."""
    found = client.info("commandstats").get("cmdstat_zadd", {})
    return found.get("calls", 0), found.get("usec", 0)


def _bare_set(client, entries: list[tuple[bytes, float]], listpack: bool) -> tuple[int, float]:
    """Bytes of a bare sorted set holding `entries`, and Redis's microseconds per ZADD of a newer entry into it.

    Built in the encoding asked for by setting `zset-max-listpack-entries` for the moment it is built.
    """
    setting = client.config_get("zset-max-listpack-entries")["zset-max-listpack-entries"]
    client.config_set("zset-max-listpack-entries", str(len(entries) + 1100) if listpack else "128")
    try:
        client.delete(SCRATCH)
        client.zadd(SCRATCH, dict(entries))
        size = client.memory_usage(SCRATCH, samples=0) or 0
        newest = min(score for _, score in entries)  # scores are negated ids (timelines/store.py)
        before = _zadd_stats(client)
        with client.pipeline(transaction=False) as pipe:
            for n in range(1, 1001):  # newer ids, as fan-out adds them; trimmed back as ours are
                pipe.zadd(SCRATCH, {str(int(-newest) + n): newest - n})
                pipe.zremrangebyrank(SCRATCH, -1, -1)
            pipe.execute()
        after = _zadd_stats(client)
        micros = (after[1] - before[1]) / max(after[0] - before[0], 1)
        return size, round(micros, 2)
    finally:
        client.delete(SCRATCH)
        client.config_set("zset-max-listpack-entries", setting)


def timelines(store, sample: int = 1000) -> dict:
    """What the current generation's home timelines hold and cost (a sample of up to `sample` sets)."""
    client = store.redis
    prefix = store.home_key(0).rsplit(":", 1)[0] + ":"
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    measured = _usage(client, keys[:sample])
    sets = len(measured)
    if not sets:
        return {"timelines": 0}
    used = sum(size for size, _ in measured)
    entries = sum(max(members - 1, 0) for _, members in measured)  # less the sentinel
    largest = keys[max(range(sets), key=lambda i: measured[i][1])]
    copied = [
        (member, score)
        for member, score in client.zrange(largest, 0, -1, withscores=True)
        if score not in (float("-inf"), float("inf"))  # the markers
    ]
    result = {
        "timelines": len(keys),
        "sampled": sets,
        "mb_per_1000_timelines": round(used / sets * 1000 / 2**20, 2),
        "entries_per_timeline": round(entries / sets, 1),
        "bytes_per_entry": round(used / max(entries, 1), 1),
        "raw_entry_bytes": RAW_ENTRY_BYTES,
        "used_memory_mb": round(client.info("memory")["used_memory"] / 2**20, 1),
    }
    if copied:
        bare, insert_us = _bare_set(client, copied, listpack=False)
        compact, compact_insert_us = _bare_set(client, copied, listpack=True)
        result["bare_zset"] = {
            "entries": len(copied),
            "bytes_per_entry": round(bare / len(copied), 1),
            "insert_us": insert_us,
            "listpack_bytes_per_entry": round(compact / len(copied), 1),
            "listpack_insert_us": compact_insert_us,
        }
        result["vs_bare_zset"] = round(result["bytes_per_entry"] / result["bare_zset"]["bytes_per_entry"], 2)
    return result
