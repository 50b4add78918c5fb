"""timestamptz read by the standard library's ISO parser (config/kernel/pgtime.py): the same values as
Django's loader, and the same refusals."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DataError, connection
from psycopg.pq import Format

from config.kernel.pgtime import TIMESTAMPTZ_OID, UtcTimestampLoader

pytestmark = pytest.mark.django_db


def _select(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def test_connections_read_timestamps_with_it():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is UtcTimestampLoader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-06 02:22:32.431648+00", datetime(2026, 11, 6, 2, 22, 32, 431648, tzinfo=UTC)),
        ("2026-11-06 02:22:32.4+00", datetime(2026, 11, 6, 2, 22, 32, 400000, tzinfo=UTC)),
        ("2026-11-06 02:22:32+00", datetime(2026, 11, 6, 2, 22, 32, tzinfo=UTC)),
        ("2026-01-01 10:00:00.5+05:30", datetime(2026, 1, 1, 4, 30, 0, 500000, tzinfo=UTC)),
        ("0001-01-01 00:00:00+00", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31 23:59:59.999999+00", datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_values_are_the_aware_utc_datetimes_django_gives(text, expected):
    (found,) = _select(f"SELECT '{text}'::timestamptz")
    assert found == expected and found.tzinfo is UTC
    assert found == UtcTimestampLoader(TIMESTAMPTZ_OID, connection.connection).load(
        _select(f"SELECT '{text}'::timestamptz::text")[0].encode()
    )


def test_null_and_the_models_own_columns():
    from tests.factories import UserFactory

    assert _select("SELECT NULL::timestamptz") == (None,)
    user = UserFactory()
    user.refresh_from_db()
    assert user.date_joined.tzinfo is UTC and abs(user.date_joined - datetime.now(UTC)) < timedelta(minutes=1)


def test_another_session_zone_still_gives_the_instant():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
        try:
            cursor.execute("SELECT '2026-01-01 10:00:00+00'::timestamptz")
            (found,) = cursor.fetchone()
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert found == datetime(2026, 1, 1, 10, tzinfo=UTC) and found.tzinfo is UTC


@pytest.mark.parametrize("text", ["infinity", "-infinity", "0044-03-15 BC"])
def test_what_python_cannot_hold_is_refused_as_before(text):
    with pytest.raises(DataError):
        _select(f"SELECT '{text}'::timestamptz")


def test_another_date_style_goes_to_psycopgs_loader():
    """Which can't read it either, and says so, as it did under Django's loader."""
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
        try:
            cursor.execute("SELECT '2026-11-06 02:22:32.5+00'::timestamptz")
            with pytest.raises(NotImplementedError, match="DateStyle"):
                cursor.fetchone()
        finally:
            cursor.execute("SET DateStyle = 'ISO, MDY'")
