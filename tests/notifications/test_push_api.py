"""The push subscriptions API, the settings partial, the service worker and manifest, and the VAPID keys."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from notifications.models import PushSubscription
from notifications.webpush import keys
from tests.factories import UserFactory
from tests.notifications.push_server import Browser

pytestmark = pytest.mark.django_db
URL = "/api/v1/account/push-subscriptions"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


@pytest.fixture
def loopback(settings):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True  # endpoints on 127.0.0.1 over http, as the tests' push service


def browser(port=9) -> Browser:
    found = Browser()
    found.endpoint = f"http://127.0.0.1:{port}/push/{found.token}"
    return found


def test_subscribe_list_and_remove(user_api, user, loopback, django_assert_max_num_queries):
    phone = browser()
    answer = user_api.post(URL, phone.subscription(), format="json", HTTP_USER_AGENT=CHROME)
    assert answer.status_code == 201
    made = answer.json()["pushSubscription"]
    assert made["endpoint"] == phone.endpoint and made["endpointHost"] == "127.0.0.1"
    assert made["browser"] == "Chrome on Linux" and made["userAgent"] == CHROME
    assert made["createdAt"].endswith("Z") and made["lastUsedAt"] is None
    again = user_api.post(URL, phone.subscription(), format="json")  # the same browser again: no second row
    assert again.status_code == 200 and again.json()["pushSubscription"]["id"] == made["id"]
    user_api.post(URL, browser().subscription(), format="json")
    with django_assert_max_num_queries(4):
        listed = user_api.get(URL).json()
    assert [s["endpoint"] for s in listed["pushSubscriptions"]][1] == phone.endpoint
    assert listed["vapidPublicKey"] == keys.public_key() and listed["pushAvailable"] is True
    assert user_api.get(f"{URL}/vapid-key").json() == {"vapidPublicKey": keys.public_key(), "pushAvailable": True}
    assert user_api.delete(f"{URL}/{made['id']}").status_code == 200
    assert user_api.delete(f"{URL}/{made['id']}").status_code == 404
    assert PushSubscription.objects.filter(user=user).count() == 1


def test_someone_elses_browser_is_not_yours_to_remove_and_an_endpoint_moves_with_who_signs_in(
    user_api, api_as, user, loopback
):
    other = UserFactory(username="other")
    shared = browser()
    theirs = api_as(other).post(URL, shared.subscription(), format="json").json()["pushSubscription"]
    assert user_api.delete(f"{URL}/{theirs['id']}").status_code == 404
    assert user_api.delete(f"{URL}/nonsense").status_code == 404
    assert PushSubscription.objects.get(pk=theirs["id"]).user == other
    # Now `user` signs in on that browser and turns push on: it is theirs, once.
    assert user_api.post(URL, shared.subscription(), format="json").status_code == 200
    assert list(PushSubscription.objects.values_list("user__username", flat=True)) == [user.username]
    assert api_as(other).get(URL).json()["pushSubscriptions"] == []


def test_a_person_keeps_at_most_so_many_browsers_the_least_recently_used_goes(user_api, user, loopback, settings):
    from django.utils import timezone

    settings.WEBPUSH_MAX_SUBSCRIPTIONS = 3
    made = [user_api.post(URL, browser().subscription(), format="json").json()["pushSubscription"] for _ in range(3)]
    PushSubscription.objects.filter(pk=made[0]["id"]).update(last_used_at=timezone.now())  # the oldest, but in use
    for _ in range(2):
        assert user_api.post(URL, browser().subscription(), format="json").status_code == 201
    kept = set(PushSubscription.objects.filter(user=user).values_list("pk", flat=True))
    assert len(kept) == 3 and int(made[0]["id"]) in kept and int(made[1]["id"]) not in kept


def test_a_person_known_to_have_no_browser_is_known_to_have_one_once_subscribed(
    user_api, user, loopback, django_capture_on_commit_callbacks
):
    from notifications.webpush import subscriptions

    assert subscriptions.has_any(user.pk) is False  # now remembered in Redis
    with django_capture_on_commit_callbacks(execute=True):
        made = user_api.post(URL, browser().subscription(), format="json").json()["pushSubscription"]
    assert subscriptions.has_any(user.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        user_api.delete(f"{URL}/{made['id']}")
    assert subscriptions.has_any(user.pk) is False


def test_anonymous_callers_get_401(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {}, format="json").status_code == 401


def test_without_vapid_keys_push_is_unavailable(user_api, loopback, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    assert user_api.get(f"{URL}/vapid-key").json() == {"vapidPublicKey": "", "pushAvailable": False}
    answer = user_api.post(URL, browser().subscription(), format="json")
    assert answer.status_code == 503 and "set up" in answer.json()["error"]


def test_the_settings_partial_lists_browsers_and_removes_them(client_logged_in, user, loopback):
    PushSubscription.objects.create(
        user=user, endpoint="https://push.example/a", p256dh=browser().p256dh, auth="x" * 22, user_agent=CHROME
    )
    page = client_logged_in.get("/settings/notifications")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Turn on push notifications for this browser" in html and "Chrome on Linux" in html
    assert f'data-vapid-key="{keys.public_key()}"' in html and "via push.example" in html
    row = PushSubscription.objects.get()
    other = UserFactory(username="someone")
    theirs = PushSubscription.objects.create(user=other, endpoint="https://push.example/b", p256dh="p", auth="a")
    assert client_logged_in.post(f"/settings/notifications/push/{theirs.pk}/remove").status_code == 404
    gone = client_logged_in.post(f"/settings/notifications/push/{row.pk}/remove")
    assert gone.status_code == 302 and not PushSubscription.objects.filter(pk=row.pk).exists()
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert "No browser has push on yet" in client_logged_in.get("/settings/notifications").content.decode()


def test_service_worker_and_manifest(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("application/javascript")
    assert worker["Cache-Control"] == "no-cache"
    assert b"notificationclick" in worker.content and b"showNotification" in worker.content
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == "/" and body["display"] == "standalone" and body["theme_color"]
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    home = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home and "js/push" in home


def test_the_command_prints_a_pair_that_belongs_together(capsys):
    call_command("vapid_keys", "--subject", "mailto:ops@example.com")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert set(lines) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"}
    assert keys.valid_p256dh(lines["VAPID_PUBLIC_KEY"])
    assert (
        keys._vapid(lines["VAPID_PRIVATE_KEY"]).public_key.public_numbers()
        == keys._vapid(lines["VAPID_PRIVATE_KEY"]).private_key.public_key().public_numbers()
    )


PROBE = "import django; from django.conf import settings; django.setup(); print(settings.VAPID_PUBLIC_KEY)"


def test_the_embedded_default_makes_one_pair_and_keeps_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAPID_")}
    env.update(CHIRP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-c", PROBE]
    first = subprocess.run(run, cwd=root, env=env, capture_output=True, text=True, check=True).stdout.split()[-1]
    second = subprocess.run(run, cwd=root, env=env, capture_output=True, text=True, check=True).stdout.split()[-1]
    assert first == second and keys.valid_p256dh(first)
    assert stat.S_IMODE((tmp_path / "vapid.json").stat().st_mode) == 0o600


def test_deleting_the_account_removes_its_browsers(user_api, user, loopback, django_capture_on_commit_callbacks):
    from tests.factories import PASSWORD

    user_api.post(URL, browser().subscription(), format="json")
    with django_capture_on_commit_callbacks(execute=True):
        assert user_api.delete("/api/v1/account", {"password": PASSWORD}, format="json").status_code in (200, 202)
    assert not PushSubscription.objects.exists()
