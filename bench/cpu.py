"""CPU time of the servers under test, read from /proc (Linux), for CPU milliseconds per request.

bench/load.py takes a sample at the start and at the end of its measured
window; the difference, divided by the requests completed in the window, is
the row's CPU per request. Latency on a shared 2-core machine moves with the
neighbours; the CPU a request costs moves much less, so rows are compared by it.

A sample holds, for each group, utime + stime (clock ticks, /proc/<pid>/stat
fields 14 and 15) of each of its processes; a row's figure is the sum over
the processes of after minus before, where a process born in the window
counts from 0 and one that ended in it counts 0 (its last ticks are lost,
rather than the sum going negative):

- "tree": a process and all its descendants (the web server's main process
  and its workers), plus cutime + cstime (16, 17) so a worker that exits and
  is reaped during the window still counts.
- "postgres": the postmaster's own time and its children's, where a client
  backend counts only if it is connected to the stack's database: other
  people's databases on a shared server stay out. Background processes
  (writer, WAL writer, checkpointer, parallel workers, autovacuum) count. The
  postmaster's cutime is left out on purpose: on a shared server it is mostly
  other people's closed connections. The stack's pools keep their connections
  open, so little of ours is lost that way.
- "pids": those processes alone (Redis: one process; its threads are in its stat).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# A client backend's title: "postgres: [cluster: ]user database host(port) activity" or "... [local] ..."
_CLIENT = re.compile(r"^(\S+\(\d+\)|\[local\])$")


def parse_stat(text: str) -> dict:
    """The fields of /proc/<pid>/stat that matter here; the command name may hold spaces and parentheses."""
    head, _, tail = text.rpartition(")")
    fields = tail.split()  # fields[0] is field 3 (state)
    return {
        "pid": int(head.split(" (", 1)[0]),
        "comm": head.split(" (", 1)[1],
        "ppid": int(fields[1]),
        "ticks": int(fields[11]) + int(fields[12]),  # utime + stime
        "child_ticks": int(fields[13]) + int(fields[14]),  # cutime + cstime: reaped children
    }


def processes(proc: Path = PROC) -> dict[int, dict]:
    """Every process visible now, by pid. A process that exits while being read is skipped."""
    found = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            found[int(entry.name)] = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue
    return found


def descendants(table: dict[int, dict], roots: list[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, info in table.items():
        children.setdefault(info["ppid"], []).append(pid)
    seen, todo = set(), [pid for pid in roots if pid in table]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(children.get(pid, ()))
    return seen


def postgres_title(pid: int, proc: Path = PROC) -> str:
    try:
        return (proc / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def backend_database(title: str) -> str | None:
    """The database of a client backend, from its process title; None for a background process."""
    words = title.split()
    for index, word in enumerate(words):
        if index >= 2 and _CLIENT.match(word):
            return words[index - 1]
    return None


def group_ticks(table: dict[int, dict], spec: dict, proc: Path = PROC) -> dict[int, int] | None:
    """CPU ticks used so far by each process of one group (see the module's docstring); None if none is visible."""
    if "tree" in spec:
        pids = descendants(table, spec["tree"])
        return {p: table[p]["ticks"] + table[p]["child_ticks"] for p in pids} or None
    if "postmaster" in spec:
        master = spec["postmaster"]
        if master not in table:
            return None
        found = {master: table[master]["ticks"]}
        for pid, info in table.items():
            if info["ppid"] != master:
                continue
            database = backend_database(postgres_title(pid, proc))
            if database is None or database == spec["database"]:
                found[pid] = info["ticks"]
        return found
    return {p: table[p]["ticks"] for p in spec.get("pids", ()) if p in table} or None


def sample(groups: dict[str, dict], proc: Path = PROC) -> dict:
    """Each group's ticks by process; with the machine's busy ticks and the load generator's own, under
    "_machine" and "_self", when read from the real /proc."""
    table = processes(proc)
    found: dict = {name: group_ticks(table, spec, proc) for name, spec in groups.items()}
    if proc == PROC:
        found.update(_machine=machine_busy(proc), _self=own_ticks())
    return found


def used(before: dict[int, int], after: dict[int, int]) -> int:
    """Ticks used between two samples of a group: born processes from 0, ended ones not at all."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


def per_request(before: dict, after: dict, requests: int) -> dict:
    """CPU ms per request for each group and their total (web + db + redis), from two samples."""
    result = {}
    for name in (name for name in before if not name.startswith("_")):
        if before[name] is None or after.get(name) is None or not requests:
            result[name] = None
        else:
            result[name] = round(used(before[name], after[name]) * 1000 / TICKS_PER_SECOND / requests, 3)
    parts = [result.get(name) for name in ("web", "db", "redis")]
    result["total"] = round(sum(parts), 3) if all(p is not None for p in parts) else None
    return result


def machine_busy(proc: Path = PROC) -> int:
    """Busy ticks of the whole machine, all cores (/proc/stat: user nice system irq softirq steal)."""
    fields = (proc / "stat").read_text().splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6, 7))


def own_ticks() -> int:
    """This process's CPU (the load generator's), in ticks."""
    times = os.times()
    return round((times.user + times.system) * TICKS_PER_SECOND)


def others_percent(before: dict, after: dict, seconds: float) -> float | None:
    """What everything else on the machine used during the window, as % of all its cores: other people's
    work, but also the WebSocket process and other databases' backends. Not ours: the groups and the load
    generator. A row measured while this was high has a less trustworthy CPU per request (cache and core
    sharing make a request cost more), whatever the latency says."""
    if "_machine" not in before or seconds <= 0:
        return None
    ours = sum(used(before[name], after[name]) for name in before if not name.startswith("_") and before[name]
               and after.get(name))  # fmt: skip
    rest = after["_machine"] - before["_machine"] - ours - (after["_self"] - before["_self"])
    return round(max(0, rest) * 100 / (TICKS_PER_SECOND * seconds * (os.cpu_count() or 1)), 1)


def calibrate(rounds: int = 5) -> float:
    """CPU ms a fixed piece of Python work takes here, the best of a few rounds.

    CPU time counted inside this virtual machine also grows when the host
    gives it a slower share of a core (a busy neighbour VM, a busy hyper-thread
    sibling): nothing in /proc shows that, so the runner times this before
    and after its rows, for the reader to set beside the record's.
    """
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        counts: dict[int, int] = {}
        for number in range(200_000):
            counts[number % 1000] = counts.get(number % 1000, 0) + len(str(number))
        hashlib.sha256(b"x" * 2_000_000).digest()
        best = min(best, (time.process_time() - started) * 1000)
    return round(best, 1)


def postmaster_of(backend_pid: int, proc: Path = PROC) -> int | None:
    """The postmaster, as the parent of one of its backends (SELECT pg_backend_pid())."""
    try:
        return parse_stat((proc / str(backend_pid) / "stat").read_text())["ppid"]
    except OSError:
        return None  # the server runs elsewhere (another machine or a container's pid namespace)


def redis_pid(reported: int | None, proc: Path = PROC) -> int | None:
    """Redis's pid from INFO, if it is a redis/valkey server visible here."""
    if reported is None:
        return None
    try:
        comm = parse_stat((proc / str(reported) / "stat").read_text())["comm"]
    except OSError:
        return None
    return reported if comm.startswith(("redis-server", "valkey-server")) else None
