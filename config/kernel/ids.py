"""Snowflake ids: 64-bit integers that sort like creation time.

Layout: milliseconds since EPOCH_MS in the high bits, a 22-bit sequence below.
The database makes them (`chirp_next_id()`, from a shared sequence), so no
two processes or machines can collide.
"""

from __future__ import annotations

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


def new_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT chirp_next_id()")
        return cursor.fetchone()[0]


def id_at(moment: datetime, sequence: int = 0) -> int:
    """The id a row made at `moment` would have (for imports, demo data and cursors)."""
    ms = int(moment.timestamp() * 1000)
    return ((ms - EPOCH_MS) << SEQUENCE_BITS) | (sequence & SEQUENCE_MASK)


def time_of(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> SEQUENCE_BITS) + EPOCH_MS) / 1000, tz=UTC)
