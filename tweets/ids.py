"""Snowflake ids: 64-bit integers that sort like creation time.

Layout: milliseconds since EPOCH_MS in the high bits, a 22-bit sequence below.
On PostgreSQL the database makes them (`chirp_next_id()`, from a shared
sequence), so no two processes or machines can collide. Without PostgreSQL
(the single-process embedded default) a locked in-process counter does.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from django.db import connection

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
SEQUENCE_BITS = 22
SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1

# Installed by tweets/migrations/0002; the same layout as id_at() below.
POSTGRES_FUNCTION = f"""
CREATE SEQUENCE IF NOT EXISTS chirp_id_seq;
CREATE OR REPLACE FUNCTION chirp_next_id() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT ((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint - {EPOCH_MS}) << {SEQUENCE_BITS})
           | (nextval('chirp_id_seq') & {SEQUENCE_MASK})
$$;
"""  # noqa: S608 - built from constants, not input


class _LocalGenerator:
    """Monotonic ids for one process: same millisecond, next sequence number."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._sequence = 0

    def next(self) -> int:
        with self._lock:
            now_ms = max(int(time.time() * 1000), self._last_ms)  # never go back with the clock
            if now_ms == self._last_ms:
                self._sequence = (self._sequence + 1) & SEQUENCE_MASK
                if self._sequence == 0:  # 4 million ids in one millisecond: borrow the next one
                    now_ms += 1
            else:
                self._sequence = 0
            self._last_ms = now_ms
            return ((now_ms - EPOCH_MS) << SEQUENCE_BITS) | self._sequence


_local = _LocalGenerator()


def new_id() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT chirp_next_id()")
            return cursor.fetchone()[0]
    return _local.next()


def id_at(moment: datetime, sequence: int = 0) -> int:
    """The id a row made at `moment` would have (for imports, demo data and cursors)."""
    ms = int(moment.timestamp() * 1000)
    return ((ms - EPOCH_MS) << SEQUENCE_BITS) | (sequence & SEQUENCE_MASK)


def time_of(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> SEQUENCE_BITS) + EPOCH_MS) / 1000, tz=UTC)
