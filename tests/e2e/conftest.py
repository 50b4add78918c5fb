"""Browser tests: a real daphne (HTTP and WebSockets) on the test database, driven by Chromium.

The server runs in a forked process that shares this process's settings, so
tests that use it must commit their data (`transaction=True`).
"""

import os
from pathlib import Path

import pytest
from daphne.testing import DaphneProcess
from django.db import connections

ARTIFACTS = Path(__file__).parent / "artifacts"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 780}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs its own loop


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }  # fmt: skip


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def _application():
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    return ASGIStaticFilesHandler(application)


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker):
    from django.conf import settings

    # The link-card fetcher may reach the tests' own HTTP server on 127.0.0.1 (tests/link_server.py),
    # and nothing else private: set before the fork, which takes this process's settings along.
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True
    with django_db_blocker.unblock():
        connections.close_all()  # the fork must not share this process's database socket
        for connection in connections.all():
            # Nor its pool's (DATABASE_POOL, on unless `make test-e2e` turns it off): two processes on one
            # server session trip over each other's prepared statements ("_pg3_0 already exists").
            connection.close_pool()
        server = DaphneProcess("127.0.0.1", _application)
        server.start()  # forked while unblocked, so the server may use the database
    if not server.ready.wait(30):
        error = server.errors.get(timeout=1)[1] if not server.errors.empty() else "no error reported"
        raise RuntimeError(f"daphne did not start: {error}")
    yield f"http://127.0.0.1:{server.port.value}"
    server.terminate()
    server.join(10)


@pytest.fixture
def shoot():
    """Save a full-page screenshot at desktop and phone widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)
            page.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return take


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && el.offsetParent !== null)
  .map(el => el.name || el.id)
"""


def assert_controls_labelled(page) -> None:
    assert page.evaluate(UNLABELLED_CONTROLS) == []


@pytest.fixture
def sign_in(live_server_url):
    """Put a signed-in session for `user` into a browser context (no password typing)."""
    from django.test import Client

    def attach(context, user):
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server_url}])

    return attach
