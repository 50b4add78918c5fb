"""One code path (SPEC §3): the product's code has no SQLite branch and no in-process stand-in for Redis.

The same search as `grep -rniE '<pattern>' config accounts tweets social timelines notifications search`.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "accounts", "tweets", "social", "timelines", "notifications", "search"]
FORBIDDEN = [
    r"sqlite",  # a second database
    r"\.vendor\b",  # branching on the database
    r"InMemoryChannelLayer|LocMemCache|memory://",  # stand-ins for the channel layer, cache and broker
    r"get_redis\(\)\s+is\s+None|not\s+settings\.REDIS_URL|store\.enabled",  # "no Redis" as a mode
    r"SEARCH_FULL_TEXT|USING_POSTGRES|_local_(seen|sockets|posted|lag)",  # what those modes used
]


def test_no_second_database_and_no_redis_stand_ins():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if any(re.search(pattern, line, re.IGNORECASE) for pattern in FORBIDDEN):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_patterns_find_what_they_forbid():
    samples = ["if connection.vendor == 'sqlite':", "if get_redis() is None:", "CHANNEL_LAYERS = InMemoryChannelLayer"]
    for sample in samples:
        assert any(re.search(pattern, sample, re.IGNORECASE) for pattern in FORBIDDEN), sample
