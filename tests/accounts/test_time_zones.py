"""Dates in the reader's time zone: their setting, else their browser's (the `tz` cookie), else UTC."""

from datetime import UTC, datetime

import pytest

from accounts import services
from config.kernel.errors import ServiceError
from config.kernel.timezones import valid_zone
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = pytest.mark.django_db

NOON_UTC = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def tweet():
    made = post(UserFactory(username="ada"), "What time is it where you are?")
    Tweet.objects.filter(pk=made.pk).update(created_at=NOON_UTC)
    return made


def detail(client, tweet) -> str:
    return client.get(f"/@ada/status/{tweet.pk}").content.decode()


def test_without_a_zone_dates_are_utc(client, tweet):
    page = detail(client, tweet)
    assert "noon · Jan. 15, 2026" in page
    assert 'title="Jan. 15, 2026, noon UTC"' in page


def test_the_browsers_zone_from_its_cookie(client, tweet):
    client.cookies["tz"] = "America/New_York"
    page = detail(client, tweet)
    assert "7 a.m. · Jan. 15, 2026" in page
    assert 'title="Jan. 15, 2026, 7 a.m. EST"' in page  # the card's hover title names the zone
    client.cookies["tz"] = "Asia/Tokyo"
    assert "9 p.m. · Jan. 15, 2026" in detail(client, tweet)


@pytest.mark.parametrize(
    "cookie",
    ["Mars/Olympus_Mons", "../../etc/passwd", "America/New_York\x00", "A" * 5000, "", "utc ", "America/new_york"],
)
def test_a_cookie_that_names_no_zone_is_ignored(client, tweet, cookie):
    client.cookies["tz"] = cookie
    response = client.get(f"/@ada/status/{tweet.pk}")
    assert response.status_code == 200
    assert "noon · Jan. 15, 2026" in response.content.decode()


def test_the_readers_setting_beats_the_browser(client, tweet):
    reader = UserFactory(username="reader", time_zone="Asia/Kolkata")
    client.force_login(reader)
    client.cookies["tz"] = "America/New_York"
    page = detail(client, tweet)
    assert "5:30 p.m. · Jan. 15, 2026" in page
    assert 'data-time-zone="Asia/Kolkata"' in page  # the page script formats in it too


def test_choosing_a_zone_in_settings(client, tweet):
    reader = UserFactory(username="reader")
    client.force_login(reader)
    form = client.get("/settings/display").content.decode()
    assert '<option value="" selected>Your browser&#x27;s</option>' in form
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>' in form
    saved = client.post("/settings/display", {"autoplay_videos": "on", "time_zone": "Europe/Lisbon"}, follow=True)
    assert "Your display settings were saved." in saved.content.decode()
    reader.refresh_from_db()
    assert reader.time_zone == "Europe/Lisbon"
    assert "noon · Jan. 15, 2026" in detail(client, tweet)  # Lisbon is UTC in January
    client.post("/settings/display", {"autoplay_videos": "on", "time_zone": ""})
    reader.refresh_from_db()
    assert reader.time_zone == ""


@pytest.mark.parametrize("zone", ["Nowhere/Special", "Europe/Lisbon; DROP TABLE", "x" * 300])
def test_a_zone_not_on_the_list_is_refused_and_nothing_changes(client, zone):
    reader = UserFactory(username="reader", time_zone="Asia/Tokyo", show_sensitive_media=False)
    client.force_login(reader)
    answer = client.post("/settings/display", {"show_sensitive_media": "on", "time_zone": zone})
    assert answer.status_code == 400
    assert "Choose a time zone from the list." in answer.content.decode()
    reader.refresh_from_db()
    assert (reader.time_zone, reader.show_sensitive_media) == ("Asia/Tokyo", False)


def test_the_service_refuses_an_unknown_zone():
    reader = UserFactory(username="reader")
    with pytest.raises(ServiceError) as refused:
        services.display_update(
            user=reader, show_sensitive_media=False, expand_content_warnings=False, time_zone="Atlantis/Capital"
        )
    assert list(refused.value.fields) == ["time_zone"]
    reader.refresh_from_db()
    assert reader.time_zone == ""


def test_valid_zone_is_bounded():
    assert valid_zone("Europe/Paris") == "Europe/Paris"
    assert valid_zone("UTC") == "UTC"
    assert valid_zone(None) is None and valid_zone("") is None
    assert valid_zone("Europe/Paris" + "x" * 100) is None
