"""deploy/nginx.conf in front of two `web` (granian, WSGI) and two `ws` (uvicorn, ASGI) processes.

The Procfile's processes run on the test database and Redis (tests/faults/stack.py),
nginx from the system's packages (`apt-get install nginx`; .ci/run does it) runs as a
process of this test with its own prefix, pid, logs and temporary folders, on a free
loopback port; the system's nginx service is never touched. Everything goes through
that one port: the API, static and media files, Chirp's /ws/ socket and Mastodon's
event stream. The access log names the process that answered each request
(`upstream=`), which is how the tests tell nginx's own answers from the app's.
Tasks run in the web processes (CELERY_TASK_ALWAYS_EAGER): no worker is needed for a
post to reach its followers' sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.faults.stack import Stack, free_port, wait_until
from tests.services import app_process_env

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
PASSWORD = "a-long-unusual-passphrase"

# As every transactional test here: the processes must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The wrapper a distribution's /etc/nginx/nginx.conf would be, with every path under the test's folder.
MAIN = """\
{user}
worker_processes 2;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/chirp.conf;
}}
"""

LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* upstream=(?P<upstream>\S+(?:, \S+)*) ')


@dataclass
class Front:
    port: int
    run: Path
    static_root: Path
    media_root: Path
    web: list[str]
    ws: list[str]
    stacks: list[Stack] = field(default_factory=list)

    def request(self, method: str, path: str, *, token: str | None = None, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=data, headers=sent)
            answer = connection.getresponse()
            return answer.status, answer.headers, answer.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, **kwargs) -> tuple[int, dict]:
        status, _, payload = self.request(method, path, **kwargs)
        return status, json.loads(payload) if payload else {}

    def log(self) -> list[dict]:
        """The access log, one dict a line; nginx writes a line when a request (or socket) ends."""
        path = self.run / "chirp-access.log"
        text = path.read_text() if path.exists() else ""
        return [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]

    def upstreams(self, path_start: str, but: str = "") -> set[str]:
        """Who answered the requests whose path starts with `path_start` (and not with `but`)."""
        return {
            line["upstream"] for line in self.log()
            if line["path"].startswith(path_start) and not (but and line["path"].startswith(but))
        }  # fmt: skip


def answers(front: Front) -> bool:
    try:
        return front.request("GET", "/healthz")[0] == 200
    except OSError:
        return False


def render(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    left = re.findall(r"\$\{CHIRP_\w+\}", template)
    assert not left, f"names in deploy/nginx.conf that the test does not fill in: {left}"
    return template


@pytest.fixture(scope="module")
def front(tmp_path_factory, django_db_setup):
    """Started once for the module (about 15 s); each test's rows are flushed after it as usual."""
    from django.conf import settings

    tmp_path = tmp_path_factory.mktemp("front")
    if not NGINX.exists():
        pytest.fail(f"nginx is not installed ({NGINX} is missing): `apt-get install nginx` (.ci/run installs it)")
    run = tmp_path / "nginx"
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / folder).mkdir(parents=True)
    static_root, media_root = tmp_path / "static", tmp_path / "media"
    media_root.mkdir()
    env = {
        "WEB_WORKERS": "1",  # two web processes of one worker each: nginx balances between processes
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "SERVE_MEDIA": "false",  # nginx sends uploads
        "NUM_PROXIES": "1",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "API_RATE_SIGNUP": "1000/min",  # other tests in this worker sign people up from 127.0.0.1 too
        "API_RATE_LOGIN": "1000/min",
    }
    # Before the processes start: WhiteNoise reads STATIC_ROOT and the manifest when a process
    # starts, so a process that starts first answers every page that names a static file with a 500
    # (seen in CI, where collectstatic was the slower).
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=app_process_env(**env, DEBUG="false"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert collect.returncode == 0, (collect.stdout + collect.stderr)[-2000:]

    stacks = [Stack(tmp_path / f"stack{n}", settings.REDIS_URL, **env) for n in (1, 2)]
    started = Front(
        port=free_port(), run=run, static_root=static_root, media_root=media_root,
        web=[f"127.0.0.1:{s.web_port}" for s in stacks], ws=[f"127.0.0.1:{s.ws_port}" for s in stacks], stacks=stacks,
    )  # fmt: skip
    nginx = None
    try:
        with ThreadPoolExecutor(2) as pool:  # the four processes start together
            list(pool.map(lambda stack: stack.start("web", "ws"), stacks))
        values = {
            "CHIRP_LISTEN": f"127.0.0.1:{started.port}",
            "CHIRP_SERVER_NAME": "127.0.0.1 localhost",
            "CHIRP_WEB_1": started.web[0],
            "CHIRP_WEB_2": started.web[1],
            "CHIRP_WS_1": started.ws[0],
            "CHIRP_WS_2": started.ws[1],
            "CHIRP_STATIC_ROOT": str(static_root),
            "CHIRP_MEDIA_ROOT": str(media_root),
            "CHIRP_LOG_DIR": str(run),
        }
        (run / "chirp.conf").write_text(render(TEMPLATE.read_text(), values))
        # As root, nginx's workers would drop to nobody, who can't read the test's folders.
        (run / "nginx.conf").write_text(MAIN.format(run=run, user="user root;" if os.geteuid() == 0 else ""))
        argv = [str(NGINX), "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "error.log")]
        checked = subprocess.run([*argv, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t refused deploy/nginx.conf:\n{checked.stderr}"
        log = open(run / "nginx.out", "wb")  # noqa: SIM115 - closed with the process
        nginx = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: answers(started), timeout=20, what="nginx answering")
        yield started
    finally:
        if nginx is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(15)
        for stack in stacks:
            stack.stop()


def sign_up(front: Front, name: str) -> str:
    body = {"name": name.title(), "email": f"{name}@example.com", "username": name, "password": PASSWORD}
    status, answer = front.json("POST", "/api/v1/signup", body=body)
    assert status == 201, answer
    return answer["token"]


def test_the_api_through_nginx_reaches_both_web_processes(front):
    sign_up(front, "ada_front")
    status, login = front.json("POST", "/api/v1/login", body={"username": "ada_front", "password": PASSWORD})
    assert status == 200
    token = login["token"]
    status, posted = front.json("POST", "/api/v1/tweets", token=token, body={"text": "Hello through nginx"})
    assert status == 201, posted
    for _ in range(4):
        status, home = front.json("GET", "/api/v1/timeline/home", token=token)
        assert status == 200
        assert [t["text"] for t in home["tweets"]] == ["Hello through nginx"]

    # Round robin over both web processes, and no API request went to a ws process.
    assert front.upstreams("/api/v1/", but="/api/v1/streaming") == set(front.web)
    # The app saw nginx's request id: the answer carries it, for the two logs to be read together.
    _, headers, _ = front.request("GET", "/api/v1/timeline/home", token=token)
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_nginx_sends_static_and_media_files_itself(front):
    manifest = json.loads((front.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/app.css"]
    status, headers, body = front.request("GET", f"/static/{hashed}")
    assert status == 200
    assert body == (front.static_root / hashed).read_bytes()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" not in headers  # the app's middleware puts it on everything the app answers
    # The .gz collectstatic wrote, sent as it is.
    status, headers, body = front.request("GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert body == (front.static_root / f"{hashed}.gz").read_bytes()

    upload = front.media_root / "media" / "picture.png"
    upload.parent.mkdir()
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    status, headers, body = front.request("GET", "/media/media/picture.png", headers={"Range": "bytes=0-7"})
    assert status == 206 and body == b"\x89PNG\r\n\x1a\n"  # ranges: a video seeks
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert front.request("GET", "/media/media/missing.png")[0] == 404

    assert front.upstreams("/static/") == {"-"} and front.upstreams("/media/") == {"-"}


def test_answers_are_compressed_and_carry_one_copy_of_the_apps_security_headers(front):
    token = sign_up(front, "gzip_front")
    for n in range(3):
        assert front.json("POST", "/api/v1/tweets", token=token, body={"text": f"Long enough {n} " * 10})[0] == 201
    status, headers, body = front.request(
        "GET", "/api/v1/timeline/home", token=token, headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(body))["tweets"]) == 3

    status, headers, body = front.request("GET", "/accounts/login/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(body)
    # Django sets these; nginx adds none to what it passes on.
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert len(headers.get_all(name) or []) == 1, name
    assert headers["Server"] == "nginx"  # no version


def test_a_body_past_the_cap_is_refused_before_it_is_read(front, settings):
    cap = int(re.search(r"client_max_body_size (\d+)m;", TEMPLATE.read_text()).group(1)) * 1024 * 1024
    assert settings.REQUEST_MAX_BYTES <= cap < settings.REQUEST_MAX_BYTES + 1024 * 1024  # the app's cap, rounded up
    connection = http.client.HTTPConnection("127.0.0.1", front.port, timeout=10)
    connection.putrequest("POST", "/api/v1/media/upload")
    connection.putheader("Content-Length", str(cap + 1))
    connection.putheader("Content-Type", "application/octet-stream")
    connection.endheaders()  # and no body: nginx answers from the header alone
    answer = connection.getresponse()
    assert answer.status == 413
    assert json.loads(answer.read()) == {"error": "The request is too large"}
    connection.close()


async def read_until(reader: asyncio.StreamReader, marker: bytes, timeout: float = 5) -> bytes:
    seen = b""
    async with asyncio.timeout(timeout):
        while marker not in seen:
            chunk = await reader.read(4096)
            assert chunk, f"the stream ended before {marker!r}: {seen[-500:]!r}"
            seen += chunk
    return seen


async def next_of_type(socket, kind: str, timeout: float = 5) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame


def test_a_post_reaches_a_socket_and_an_event_stream_through_nginx(front):
    ada, bob = sign_up(front, "ada_live"), sign_up(front, "bob_live")
    assert front.json("POST", "/api/v1/users/ada_live/follow", token=bob)[0] in (200, 201)
    assert front.json("GET", "/api/v1/timeline/home", token=bob)[0] == 200  # Bob is active: fan-out reaches him
    status, _, body = front.request("GET", "/api/v1/streaming/health")
    assert (status, body) == (200, b"OK")

    async def live() -> tuple[dict, bytes, float]:
        url = f"ws://127.0.0.1:{front.port}/ws/"
        async with connect(url, additional_headers={"Authorization": f"Bearer {bob}"}) as socket:
            assert (await next_of_type(socket, "unread"))["type"] == "unread"
            # Mastodon's server-sent events, opened while the socket is held: least_conn puts it
            # on the other ws process, so the event crosses both through the channel layer.
            reader, writer = await asyncio.open_connection("127.0.0.1", front.port)
            writer.write(
                f"GET /api/v1/streaming/user HTTP/1.1\r\nHost: 127.0.0.1:{front.port}\r\n"
                f"Authorization: Bearer {bob}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            await writer.drain()
            head = await read_until(reader, b":)")  # the stream's first comment: nothing held back
            assert head.startswith(b"HTTP/1.1 200")
            assert b"text/event-stream" in head
            sent = time.monotonic()
            status, _ = await asyncio.to_thread(
                front.json, "POST", "/api/v1/tweets", token=ada, body={"text": "Live through nginx"}
            )
            assert status == 201
            event = await next_of_type(socket, "timeline.new")
            elapsed = time.monotonic() - sent
            streamed = await read_until(reader, b"Live through nginx")
            writer.close()
            return event, streamed, elapsed

    _, streamed, elapsed = asyncio.run(live())
    assert elapsed < 3
    assert b"event: update" in streamed

    # Sockets and streams went to the ws processes only (one each), the rest to web.
    wait_until(lambda: front.upstreams("/ws/") and front.upstreams("/api/v1/streaming/user"), timeout=5,
               what="nginx logging the closed socket and stream")  # fmt: skip
    assert front.upstreams("/ws/") | front.upstreams("/api/v1/streaming/user") == set(front.ws)
    assert front.upstreams("/api/v1/streaming/health") <= set(front.ws)
    assert front.upstreams("/api/v1/tweets") <= set(front.web)
