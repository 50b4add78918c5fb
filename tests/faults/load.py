"""Load and checks for the fault suite: people made in the test process, traffic through the stack's HTTP API.

People and follows are committed here (the stack's processes read the same
test database); everything during and after a fault goes through the API,
as a client would see it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.services import token_create
from social.graph.models import Follow
from tests.factories import UserFactory

# Limits high enough that a test's own traffic never meets them (the stack's environment).
NO_LIMITS = {
    "LIMIT_POST": "100000/3h",
    "LIMIT_POST_IP": "100000/3h",
    "LIMIT_FOLLOW": "100000/d",
    "LIMIT_FOLLOW_IP": "100000/d",
    "API_RATE_IP": "100000/min",
    "API_RATE_USER": "100000/min",
}

_names = itertools.count()


def measured(text: str) -> None:
    """A figure for docs/OPERATIONS.md ("Failure modes"): shown with `--log-cli-level=WARNING`."""
    logging.getLogger("tests.faults").warning("MEASURED %s", text)


@dataclass
class Person:
    pk: int
    username: str
    token: str


def people(count: int, prefix: str = "p") -> list[Person]:
    """Active accounts (seen just now, so fan-out includes them), each with a bearer token."""
    made = []
    for _ in range(count):
        user = UserFactory(username=f"{prefix}{next(_names)}", last_seen_at=timezone.now())
        made.append(Person(user.pk, user.username, token_create(user=user)))
    return made


def follow_all(followers: list[Person], author: Person) -> None:
    Follow.objects.bulk_create([Follow(follower_id=f.pk, followee_id=author.pk) for f in followers])
    from accounts.models import User

    User.objects.filter(pk=author.pk).update(followers_count=len(followers))


@dataclass
class Answer:
    at: float  # seconds since the load started
    status: int
    seconds: float
    body: dict | None


@dataclass
class Poster:
    """Posts through the API in a loop (unique texts) until stopped; keeps every answer."""

    stack: object
    author: Person
    pause: float = 0.05
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.monotonic()

    def start(self) -> Poster:
        self._thread.start()
        return self

    def _run(self) -> None:
        for number in itertools.count():
            if self._stop.is_set():
                return
            began = time.monotonic()
            status, body = self.stack.post(
                "/api/v1/tweets", {"text": f"{self.author.username} post {number}"}, token=self.author.token, timeout=30
            )
            self.answers.append(Answer(began - self.started, status, time.monotonic() - began, body))
            time.sleep(self.pause)

    def stop(self) -> list[Answer]:
        self._stop.set()
        self._thread.join(60)
        return self.answers

    @property
    def acknowledged(self) -> list[int]:
        """Ids of the posts the API answered 201 (or 200, a retry's first post) for."""
        return [int(a.body["tweetId"]) for a in self.answers if a.status in (200, 201) and a.body]


def home_ids(stack, person: Person, limit: int = 100) -> set[int] | None:
    """The ids on the first page of someone's home timeline (the API), or None if it didn't answer 200."""
    status, body = stack.get(f"/api/v1/timeline/home?limit={limit}", token=person.token)
    if status != 200:
        return None
    return {int(t["id"]) for t in body["tweets"]}


def home_all(stack, person: Person, pages: int = 10) -> set[int] | None:
    """Every id on someone's home timeline, page after page (the API), or None if a page didn't answer 200."""
    found: set[int] = set()
    cursor = ""
    for _ in range(pages):
        status, body = stack.get(f"/api/v1/timeline/home?limit=100&cursor={cursor}", token=person.token)
        if status != 200:
            return None
        found |= {int(t["id"]) for t in body["tweets"]}
        cursor = body.get("nextCursor")
        if not cursor:
            break
    return found


def timelines_match(stack, expected: dict[int, tuple[Person, set[int], set[int]]]) -> list[str]:
    """What is wrong with each reader's home timeline: ids missing from `must`, or present from `must_not`."""
    wrong = []
    for person, must, must_not in expected.values():
        seen = home_all(stack, person)
        if seen is None:
            wrong.append(f"{person.username}: no answer")
            continue
        if missing := must - seen:
            wrong.append(f"{person.username}: {len(missing)} missing")
        if extra := seen & must_not:
            wrong.append(f"{person.username}: {len(extra)} that should be gone")
    return wrong
