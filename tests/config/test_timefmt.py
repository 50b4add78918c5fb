from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from config.kernel.timefmt import iso_z


def test_utc_ends_in_z():
    assert iso_z(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2026-01-02T03:04:05.000006Z"


def test_other_offsets_are_written_in_utc():
    moment = datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert iso_z(moment) == "2026-01-02T03:04:05Z"


def test_none_stays_none():
    assert iso_z(None) is None


def test_any_spelling_of_utc_and_named_zones():
    assert iso_z(datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC"))) == "2026-01-02T03:04:05Z"
    assert iso_z(datetime(2026, 7, 2, 5, 4, 5, tzinfo=ZoneInfo("Europe/Paris"))) == "2026-07-02T03:04:05Z"
    assert iso_z(datetime.fromisoformat("2026-01-02 03:04:05.5+00")) == "2026-01-02T03:04:05.500000Z"
