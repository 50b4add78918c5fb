"""CPU per request (bench/cpu.py) and its comparison with the record (bench/run.py), on a fake /proc."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import cpu, run


def stat(pid: int, comm: str, ppid: int, utime: int, stime: int, cutime: int = 0, cstime: int = 0) -> str:
    # fields 3..17: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    return f"{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 0 0 0 0 0 {utime} {stime} {cutime} {cstime} 20 0 1 0\n"


class FakeProc(type(Path())):
    """A folder laid out like /proc: <pid>/stat and <pid>/cmdline (a process title, NUL-separated)."""

    def add(self, pid, comm, ppid, utime, stime, cutime=0, cstime=0, title=""):
        folder = self / str(pid)
        folder.mkdir(exist_ok=True)
        (folder / "stat").write_text(stat(pid, comm, ppid, utime, stime, cutime, cstime))
        (folder / "cmdline").write_bytes(title.replace(" ", "\0").encode())


@pytest.fixture
def proc(tmp_path):
    return FakeProc(tmp_path)


def test_a_command_name_with_spaces_and_parentheses_is_parsed():
    parsed = cpu.parse_stat(stat(42, "odd (name) x", 1, 7, 3, 5, 1))
    assert parsed == {"pid": 42, "comm": "odd (name) x", "ppid": 1, "ticks": 10, "child_ticks": 6}


def test_a_client_backend_names_its_database_and_a_background_process_none():
    assert cpu.backend_database("postgres: 15/main: postgres chirp_bench 127.0.0.1(5123) idle") == "chirp_bench"
    assert cpu.backend_database("postgres: postgres other [local] SELECT") == "other"
    assert cpu.backend_database("postgres: 15/main: walwriter") is None
    assert cpu.backend_database("postgres: parallel worker for PID 12") is None


def test_the_web_tree_counts_workers_and_reaped_children(proc):
    proc.add(10, "granian", 1, 100, 10, cutime=5)
    proc.add(11, "granian", 10, 300, 20)
    proc.add(12, "python", 11, 1, 1)  # a grandchild
    proc.add(20, "unrelated", 1, 999, 999)
    assert cpu.sample({"web": {"tree": [10]}}, proc) == {"web": {10: 115, 11: 320, 12: 2}}


def test_postgres_counts_the_stacks_backends_and_background_work_only(proc):
    proc.add(1000, "postgres", 1, 50, 50, cutime=10_000)  # closed connections of everyone: left out
    proc.add(1001, "postgres", 1000, 5, 5, title="postgres: 15/main: walwriter")
    proc.add(1002, "postgres", 1000, 30, 10, title="postgres: 15/main: postgres mine 127.0.0.1(4000) idle")
    proc.add(1003, "postgres", 1000, 700, 0, title="postgres: 15/main: postgres theirs 127.0.0.1(4001) idle")
    assert cpu.sample({"db": {"postmaster": 1000, "database": "mine"}}, proc) == {"db": {1000: 100, 1001: 10, 1002: 40}}


def test_a_group_whose_processes_are_not_visible_is_none_and_so_is_the_total(proc):
    proc.add(10, "granian", 1, 100, 0)
    groups = {"web": {"tree": [10]}, "db": {"postmaster": 77, "database": "x"}, "redis": {"pids": [5]}}
    before = cpu.sample(groups, proc)
    assert before == {"web": {10: 100}, "db": None, "redis": None}
    assert cpu.per_request(before, before, 10) == {"web": 0.0, "db": None, "redis": None, "total": None}


def test_cpu_per_request_is_the_window_delta_over_the_requests(monkeypatch):
    monkeypatch.setattr(cpu, "TICKS_PER_SECOND", 100)
    before = {"web": {1: 1000}, "db": {2: 500}, "redis": {3: 10}, "worker": {4: 0}}
    after = {"web": {1: 1200}, "db": {2: 550}, "redis": {3: 15}, "worker": {4: 40}}  # ticks of 10 ms
    assert cpu.per_request(before, after, 100) == {"web": 20.0, "db": 5.0, "redis": 0.5, "worker": 4.0, "total": 25.5}


def test_a_process_born_in_the_window_counts_from_zero_and_one_that_ended_counts_nothing():
    before = {10: 100, 11: 50}  # 11 ends during the window: what it used in it is lost, not subtracted
    after = {10: 130, 12: 7}  # 12 is born during it
    assert cpu.used(before, after) == 30 + 7


def test_redis_pid_is_used_only_if_it_is_a_redis_server(proc):
    proc.add(5, "redis-server", 1, 1, 1)
    proc.add(6, "python", 1, 1, 1)
    assert cpu.redis_pid(5, proc) == 5
    assert cpu.redis_pid(6, proc) is None
    assert cpu.redis_pid(7, proc) is None


def row(totals: list[float]) -> dict:
    runs = [{"server_ms": {"p50": 1, "p95": 2, "p99": 3}, "rps": 10, "errors": 0,
             "cpu_ms": {"web": t, "db": 0, "redis": 0, "total": t}} for t in totals]  # fmt: skip
    return {"runs": runs, "cpu_ms": run.mean_cpu(runs)}


def test_a_row_more_than_20_percent_above_the_record_is_flagged_and_the_others_not():
    results = {"home_api": row([1.0, 1.2]), "like": row([3.0, 3.0]), "post": row([5.0, 5.0])}
    record = {"meta": {"when": "then", "commit": "abc"}, "rows": {
        "home_api": {"cpu_ms": {"total": 1.0}}, "like": {"cpu_ms": {"total": 2.0}}}}  # fmt: skip
    assert run.compare(results, record) == {"home_api": 1.1, "like": 1.5, "post": None}
    args = SimpleNamespace(
        scale="small", server="granian", duration=2, only_search=False, only_home=True, only_writes=False
    )
    text = run.report(results, args, record, "bench/baseline/small.json")
    assert "| home_api | 1 / 1 |" in text
    assert "| 1 / 1.2 | +10 % |" in text
    assert "| +50 % WORSE |" in text
    assert "above the record (bench/baseline/small.json, then, commit abc): like (+50 % WORSE)." in text
    assert "| no record |" in text


def test_a_run_of_the_write_paths_alone_reports_their_rows_only():
    results = {"like": row([3.0, 3.2]), "follow": row([4.0, 4.0]), "post": row([9.0, 9.0])}
    args = SimpleNamespace(scale="full", server="granian", duration=20, only_search=False, only_home=False,
                           only_writes=True)  # fmt: skip
    text = run.report(results, args)
    names = [line.split(" | ")[0] for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert names == ["| test", "| post", "| like", "| follow"]  # the table's usual order
    assert "Fan-out" not in text and "no record to compare with yet" in text


def test_the_record_keeps_rows_a_partial_run_did_not_measure():
    previous = {"meta": {}, "rows": {"like": {"cpu_ms": {"total": 2.0}}}}
    results = {"home_api": row([1.0, 3.0]), "meta": {"scale": "small"}}
    made = run.new_record(results, previous)
    assert made["rows"]["like"] == {"cpu_ms": {"total": 2.0}}
    assert made["rows"]["home_api"]["cpu_ms"]["total"] == 2.0
    assert made["rows"]["home_api"]["runs_cpu_ms_total"] == [1.0, 3.0]


def test_others_is_the_machines_busy_time_that_was_neither_ours_nor_the_load_generators(proc, monkeypatch):
    monkeypatch.setattr(cpu, "TICKS_PER_SECOND", 100)
    monkeypatch.setattr(cpu.os, "cpu_count", lambda: 2)
    (proc / "stat").write_text("cpu  100 0 50 999 5 0 0 0 0 0\ncpu0 1 2 3 4\n")
    assert cpu.machine_busy(proc) == 150
    before = {"web": {1: 0}, "db": None, "_machine": 1000, "_self": 10}
    after = {"web": {1: 100}, "db": None, "_machine": 1250, "_self": 60}
    # 2 s on 2 cores = 400 ticks; 250 busy, 100 web, 50 the load generator: 100 others = 25 %
    assert cpu.others_percent(before, after, 2.0) == 25.0


def test_the_summary_sets_the_machines_speed_now_beside_the_records():
    results = {"home_api": row([1.0, 1.0]), "meta": {"calibration_ms": [44.0, 50.0]}}
    record = {"meta": {"when": "then", "commit": "abc", "calibration_ms": [40.0, 41.0]}, "rows": {}}
    args = SimpleNamespace(
        scale="small", server="granian", duration=2, only_search=False, only_home=True, only_writes=False
    )
    text = run.report(results, args, record, "bench/baseline/small.json")
    assert "a fixed piece of work took 44.0 ms of CPU now (before and after the rows: 44.0 / 50.0), " in text
    assert "40.0 ms then: 1.10x" in text
