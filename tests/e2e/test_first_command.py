"""The README's first command as a newcomer meets it: `make run` on a fresh data folder, no servers named.

Nothing here uses the test database or the machine's PostgreSQL and Redis:
`make run` starts its own (config/embedded), and the browser and HTTP
clients talk to it like anyone would. Then it is stopped the way a person
stops it, and nothing it started may be left.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from tests.e2e.waits import SOCKET_OPEN, wait_for_js
from tests.services import newcomer_env

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
DEMO_PASSWORD = "chirp-demo-2026"
PASSWORD = "a-long-unusual-passphrase"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Run:
    """A `make run` in progress, its console output collected as it comes."""

    process: subprocess.Popen
    port: int
    output: list[str] = field(default_factory=list)

    def __post_init__(self):
        threading.Thread(target=lambda: self.output.extend(self.process.stdout), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def text(self) -> str:
        return "".join(self.output)

    def wait_until_serving(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process.poll() is None, f"make run exited ({self.process.returncode}):\n{self.text}"
            if "Chirp is running at" in self.text and get(self.url + "/healthz")[0] == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError(f"not serving after {timeout} s:\n{self.text}")

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)


def start(data: Path, port: int | None = None) -> Run:
    port = port or free_port()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT, env=newcomer_env(data), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # a terminal of its own: Ctrl-C goes to its process group
    )  # fmt: skip
    return Run(process, port)


def assert_all_gone(processes: list[psutil.Process], timeout: float = 30) -> None:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left running: {[(p.pid, p.name()) for p in alive]}"


def get(url: str, token: str | None = None) -> tuple[int, dict | None]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or "null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError):
        return 0, None


def post_json(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, json.loads(answer.read())


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chirp-data")


@pytest.fixture(scope="module")
def first_run(data):
    run = start(data)
    try:
        run.wait_until_serving(timeout=300)  # a first run makes the database and loads the demo
        yield run
    finally:
        if run.process.poll() is None:
            os.killpg(run.process.pid, signal.SIGINT)
            run.process.wait(60)


def sign_up(page, url: str, name: str, username: str) -> None:
    page.goto(url + "/accounts/signup/")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=f"Welcome to Chirp, {name}")).to_be_visible()


def test_a_fresh_data_folder_serves_the_whole_product(first_run, browser):
    url = first_run.url
    nora_context, omar_context = browser.new_context(), browser.new_context()
    nora, omar = nora_context.new_page(), omar_context.new_page()
    sign_up(nora, url, "Nora Newcomer", "nora_new")
    sign_up(omar, url, "Omar Newcomer", "omar_new")

    nora.get_by_label("Post text").fill("Hello from a fresh clone")
    nora.get_by_role("button", name="Post", exact=True).click()
    expect(nora.locator("#feed").get_by_text("Hello from a fresh clone")).to_be_visible()

    # Omar follows Nora; the worker merges her posts into his home timeline.
    omar.goto(url + "/@nora_new")
    omar.get_by_role("region", name="Profile").get_by_role("button", name=re.compile(r"^Follow")).click()
    expect(
        omar.get_by_role("region", name="Profile").get_by_role("button", name=re.compile(r"^Following"))
    ).to_be_visible()
    for _ in range(50):
        omar.goto(url + "/")
        if omar.locator("#feed").get_by_text("Hello from a fresh clone").count():
            break
        omar.wait_for_timeout(200)
    expect(omar.locator("#feed").get_by_text("Hello from a fresh clone")).to_be_visible()

    # Nora has her home page open; Omar's like reaches her badge without a reload.
    nora.goto(url + "/")
    wait_for_js(nora, SOCKET_OPEN)
    nora.evaluate("window.stillThisPage = true")
    badge = nora.locator('[data-badge="notifications"]').first
    expect(badge).to_have_text("1")  # Omar's follow
    post = omar.locator("#feed article.tweet").filter(has_text="Hello from a fresh clone").first
    post.get_by_role("button", name=re.compile(r"^Like")).click()
    expect(badge).to_have_text("2", timeout=5000)
    assert nora.evaluate("window.stillThisPage") is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    nora.screenshot(path=ARTIFACTS / "40-make-run-live-badge.png", full_page=True)

    # A third-party client: a bearer token, the home timeline five times in a row.
    status, login = post_json(url + "/api/v1/login", {"username": "omar_new", "password": PASSWORD})
    assert status == 200
    for _ in range(5):
        status, body = get(url + "/api/v1/timeline/home", login["token"])
        assert status == 200
        assert "Hello from a fresh clone" in [tweet["text"] for tweet in body["tweets"]]

    # Typo-tolerant people search, in the page and in the API.
    omar.goto(url + "/search?q=ada+okafr&tab=people")
    expect(omar.get_by_role("main").get_by_text("Ada Okafor").first).to_be_visible()
    status, found = get(url + "/api/v1/search?q=ada%20okafr&type=users", login["token"])
    assert status == 200
    assert "Ada Okafor" in [person["name"] for person in found["results"]]
    status, found = get(url + "/api/v1/search?q=elif%20yilmaz&type=users", login["token"])
    assert "Elif Yılmaz" in [person["name"] for person in found["results"]]
    nora_context.close()
    omar_context.close()


def main_process(run: Run, program: str) -> psutil.Process:
    """The supervisor's own child for `program`: uvicorn for web, the Celery worker (not its pool or beat)."""
    for child in psutil.Process(run.process.pid).children(recursive=True):
        try:
            line, parent = " ".join(child.cmdline()), child.parent()
            ours = parent is not None and parent.name() == "python"
        except psutil.NoSuchProcess:  # one that ended while we looked (a worker's pool child, a killed one)
            continue
        if ours and (("uvicorn" in line) if program == "web" else (" worker " in line)):
            return child
    raise AssertionError(f"no {program} process")


def test_a_crashed_process_is_started_again(first_run):
    for program in ("web", "worker"):
        victim = main_process(first_run, program)
        os.killpg(victim.pid, signal.SIGKILL)  # the process and its own children (a worker's pool)
        psutil.wait_procs([victim], timeout=10)
        wait_until(lambda p=program: f"The {p} process stopped unexpectedly" in first_run.text, what="noticed")
        wait_until(lambda p=program, v=victim: main_process(first_run, p).pid != v.pid, what="started again")
    wait_until(lambda: get(first_run.url + "/healthz")[0] == 200, what="serving again")


def wait_until(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except AssertionError:  # not there yet
            pass
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.2)


def test_ctrl_c_stops_every_process_it_started(first_run, data):
    started = first_run.descendants()
    names = {p.name() for p in started}
    assert {"postgres", "valkey-server", "uvicorn", "celery"} <= names, names
    os.killpg(first_run.process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    first_run.process.wait(60)  # make itself dies of the SIGINT, as make does
    assert_all_gone(started)
    assert "Stopped." in first_run.text
    assert not [p.pid for p in psutil.process_iter(["cmdline"]) if str(data) in " ".join(p.info["cmdline"] or [])]


def test_a_second_run_serves_quickly_and_sigterm_stops_it_all(first_run, data):
    first_run.process.wait(60)  # the previous test stopped it
    run = start(data)
    took = run.wait_until_serving(timeout=60)
    (ARTIFACTS / "make-run-second-start.txt").write_text(f"{took:.1f} s\n")
    assert took <= 15, f"a second make run took {took:.1f} s to serve"
    assert "already has users; no demo data added" in (data / "logs" / "setup.log").read_text()  # loaded once
    started = run.descendants()
    run.process.send_signal(signal.SIGTERM)  # to make alone, as a process manager would
    run.process.wait(60)
    assert_all_gone(started)


def test_a_port_in_use_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        run = start(tmp_path, port=taken.getsockname()[1])
        assert run.process.wait(60) != 0
    time.sleep(0.2)  # let the output reader finish
    assert f"Port {run.port} on 127.0.0.1 is in use" in run.text
    assert not (tmp_path / "postgres").exists()
    assert not (tmp_path / "redis").exists()


def test_a_data_folder_from_an_older_postgres_is_refused_clearly(tmp_path):
    (tmp_path / "postgres").mkdir()
    (tmp_path / "postgres" / "PG_VERSION").write_text("16\n")
    run = start(tmp_path)
    assert run.process.wait(60) != 0
    time.sleep(0.2)
    assert "was made by PostgreSQL 16; this is PostgreSQL 18" in run.text
    assert not (tmp_path / "redis").exists()  # nothing started half-way
