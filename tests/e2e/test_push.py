"""Web Push in a real browser: the service worker and manifest, turning push on, the list, Remove.

Headless Chromium can't reach a real push service here, so the test stands in
for one: `PushManager.prototype.subscribe` is replaced in the page (before any
script runs) by one that answers a subscription on the tests' own push service
on 127.0.0.1 (tests/notifications/push_server.py), with real keys the test made.
Everything else is the page's own code: push.js asks for permission on the
click, subscribes with the site's VAPID key, POSTs the subscription, and the
settings list shows the browser. A reply then arrives at that push service,
signed and decrypted; handed to the service worker (DevTools' push), it
shows as a notification.
"""

import json

import pytest
from playwright.sync_api import expect

from notifications.models import PushSubscription
from tests.factories import UserFactory
from tests.notifications.push_server import PushServer
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STUB = """
(subscription) => {
  const stored = () => localStorage.getItem("test-push") && subscription;
  const shaped = () => ({
    endpoint: subscription.endpoint,
    options: { userVisibleOnly: true },
    toJSON() { return subscription; },
    unsubscribe() { localStorage.removeItem("test-push"); return Promise.resolve(true); },
  });
  PushManager.prototype.subscribe = function (options) {
    const asked = { userVisibleOnly: options.userVisibleOnly, keyLength: options.applicationServerKey.byteLength };
    localStorage.setItem("test-push-options", JSON.stringify(asked));  // the page reloads after
    localStorage.setItem("test-push", "1");
    return Promise.resolve(shaped());
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(stored() ? shaped() : null); };
}
"""


@pytest.fixture
def push_server():
    server = PushServer().start()
    yield server
    server.stop()


def test_install_turn_push_on_see_the_browser_get_a_push_and_remove_it(
    page, context, live_server_url, sign_in, shoot, console_errors, push_server, settings
):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True  # this process sends the push below, to 127.0.0.1
    alice = UserFactory(username="alice", name="Alice Liddell")
    browser = push_server.browser()
    sign_in(context, alice)
    context.grant_permissions(["notifications"], origin=live_server_url)
    page.add_init_script(f"({STUB})({json.dumps(browser.subscription())})")

    # Any page registers the service worker for the whole site and links the manifest.
    page.goto(live_server_url + "/settings/notifications")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server_url + "/"
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["start_url"] == "/" and {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    expect(page.get_by_text("No browser has push on yet")).to_be_visible()
    shoot(page, "push-1-settings-off")

    # The click asks (permission granted above), subscribes with the site's key, and the list shows it.
    page.get_by_role("button", name="Turn on push notifications for this browser").click()
    row = page.locator(".push-browser")
    expect(row).to_contain_text("Chrome on Linux")
    expect(row).to_contain_text("(this browser)")
    expect(row).to_contain_text("via 127.0.0.1")
    expect(page.get_by_role("button", name="Turn on push notifications for this browser")).to_be_hidden()
    asked = page.evaluate("JSON.parse(localStorage.getItem('test-push-options'))")
    assert asked == {"userVisibleOnly": True, "keyLength": 65}  # with the site's VAPID key
    stored = PushSubscription.objects.get(user=alice)
    assert stored.endpoint == browser.endpoint and stored.p256dh == browser.p256dh
    shoot(page, "push-2-settings-on")
    page.emulate_media(color_scheme="dark")
    shoot(page, "push-3-settings-on-dark")
    page.emulate_media(color_scheme="light")

    # Someone replies: the push service gets it, for that browser, readable with its keys.
    bob = UserFactory(username="bob", name="Bob Stone")
    mine = post(alice, "Anyone up for a walk?")
    post(bob, "Count me in!", reply_to_id=mine.pk)
    [got] = push_server.delivered(browser)
    assert got.payload["body"] == "Bob Stone replied to your post: “Count me in!”"

    # What the browser's push service would hand the service worker (DevTools' push): it shows it.
    # The worker must be active before DevTools hands it a push: one still installing drops it.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    devtools = context.new_cdp_session(page)
    registrations = []
    devtools.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    devtools.send("ServiceWorker.enable")
    mine = []
    for _ in range(50):
        mine = [r for r in registrations if r["scopeURL"] == live_server_url + "/" and not r["isDeleted"]]
        if mine:
            break
        page.wait_for_timeout(100)
    [registration] = mine
    shown = []
    for _ in range(3):  # DevTools' push is fire-and-forget: on a busy machine one can be lost, so try again
        devtools.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server_url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(got.payload),
            },
        )
        shown = page.evaluate(
            """async () => {
              const registration = await navigator.serviceWorker.ready;
              for (let i = 0; i < 50; i++) {
                const found = await registration.getNotifications();
                if (found.length) return found.map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url}));
                await new Promise(r => setTimeout(r, 100));
              }
              return [];
            }"""
        )
        if shown:
            break
    expected = {key: got.payload[key] for key in ("body", "tag", "url")}
    assert shown == [{"title": "Chirp", **expected}]

    # Remove: gone from the list and from the browser's push service.
    row.get_by_role("button", name="Remove Chrome on Linux").click()
    expect(page.get_by_text("No browser has push on yet")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on push notifications for this browser")).to_be_visible()
    assert not PushSubscription.objects.filter(user=alice).exists()
    assert page.evaluate("localStorage.getItem('test-push')") is None
    assert console_errors == []


def test_a_browser_without_push_is_told_so(page, context, live_server_url, sign_in):
    sign_in(context, UserFactory(username="carol"))
    page.add_init_script("delete window.PushManager;")
    page.goto(live_server_url + "/settings/notifications")
    expect(page.get_by_text("This browser can't receive push notifications")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on push notifications for this browser")).to_be_hidden()
