"""The app's PostgreSQL backends terminated under load, and again while idle, with the stack running.

Terminated from the test's own connection: every backend on the test
database but that one (the web and worker processes' pooled connections).
"""

import itertools
import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.faults.load import NO_LIMITS, follow_all, measured, people
from tests.services import database_url
from tweets.models import Tweet

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def terminate_app_backends() -> int:
    """Every backend on the test database but the test's own connection and the one doing it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        mine = cursor.fetchone()[0]
    with psycopg.connect(database_url(settings.DATABASES["default"]), autocommit=True) as killer:
        return len(
            killer.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [mine],
            ).fetchall()
        )


class Traffic:
    """Reads and posts through the API in a loop; a post that fails is sent again once, as a client would."""

    def __init__(self, stack, person):
        self.stack, self.person = stack, person
        self.answers: list[tuple[float, str, int, float]] = []  # (when sent, what, status, seconds)
        self.texts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        for number in itertools.count():
            if self._stop.is_set():
                return
            sent = time.monotonic()
            status, _ = self.stack.get("/api/v1/timeline/home?limit=20", token=self.person.token)
            self.answers.append((sent, "read", status, time.monotonic() - sent))
            text = f"post {number} from {self.person.username}"
            self.texts.append(text)
            sent = time.monotonic()
            status, _ = self.stack.post("/api/v1/tweets", {"text": text}, token=self.person.token)
            self.answers.append((sent, "post", status, time.monotonic() - sent))
            if status not in (200, 201):
                sent = time.monotonic()
                status, _ = self.stack.post("/api/v1/tweets", {"text": text}, token=self.person.token)
                self.answers.append((sent, "retry", status, time.monotonic() - sent))

    def stop(self):
        self._stop.set()
        self._thread.join(30)


def test_backends_terminated_under_load_and_while_idle(stack_for):
    author, *readers = people(4)
    follow_all(readers, author)
    stack = stack_for("web", "worker", **NO_LIMITS)
    for _ in range(10):  # both web workers' pools hold connections
        assert stack.get("/api/v1/timeline/home", token=readers[0].token)[0] == 200

    traffic = [Traffic(stack, person).start() for person in (author, readers[0])]
    time.sleep(2)
    killed_at = time.monotonic()
    killed = terminate_app_backends()
    time.sleep(5)
    for load in traffic:
        load.stop()
    answers = sorted(a for load in traffic for a in load.answers)
    after_first_second = [(what, status) for sent, what, status, _ in answers if sent > killed_at + 1]
    assert after_first_second and [a for a in after_first_second if a[1] not in (200, 201)] == []
    in_first_second = [status for sent, _, status, _ in answers if killed_at - 0.5 <= sent <= killed_at + 1]
    slowest = max(seconds for sent, _, _, seconds in answers if sent >= killed_at - 0.5)

    # A post that committed but answered 500, sent again, is still one post.
    for load in traffic:
        for text in load.texts:
            assert Tweet.objects.filter(text=text).count() <= 1, text

    time.sleep(2)  # idle: the pools keep their connections...
    killed_idle = terminate_app_backends()  # ...which die where they wait
    idle, waited = [], []
    for number in range(15):
        started = time.monotonic()
        if number < 10:
            idle.append(stack.get("/api/v1/timeline/home", token=readers[1].token)[0])
        else:
            idle.append(stack.post("/api/v1/tweets", {"text": f"after {number}"}, token=readers[1].token)[0])
        waited.append(time.monotonic() - started)
    assert idle == [200] * 10 + [201] * 5
    assert max(waited) < 1.0  # not a wait per dead connection (psycopg_pool backs off between checks)
    assert slowest < 2.0
    measured(
        f"postgres backends terminated: {killed} under load, {killed_idle} idle; "
        f"{sum(s >= 500 for s in in_first_second)} of {len(in_first_second)} requests failed around the kill "
        f"(sent from 0.5 s before to 1 s after), 0 of {len(after_first_second)} after it, slowest {slowest:.2f} s; "
        f"0 of {len(idle)} after the idle kill, slowest {max(waited):.2f} s"
    )
