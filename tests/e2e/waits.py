"""Waiting on page state without `page.wait_for_function`.

Playwright builds a `wait_for_function` predicate with `eval` inside the page, which
the site's Content Security Policy (script-src 'self', no 'unsafe-eval') refuses in
current Chromium. `page.evaluate` goes through the DevTools protocol, which the
policy doesn't cover, so polling it keeps the policy on while tests watch the page.
"""

import time

SOCKET_OPEN = "window.chirpSocket && window.chirpSocket().readyState === 1"
SOCKET_CLOSED = "window.chirpSocket && window.chirpSocket().readyState === 3"


def wait_for_js(page, expression, timeout=10_000):
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {expression}")
        page.wait_for_timeout(50)
