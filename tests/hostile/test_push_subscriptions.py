"""Push subscriptions that try to aim our workers at something else, or to store garbage.

Each is sent to `POST /api/v1/account/push-subscriptions` for real: 400 with a
clear error naming the part, nothing stored. An endpoint is a URL a stranger
chose that our worker will POST to from inside our network, so it gets the link
fetcher's address checks (config/kernel/fetch.py), here and again at send time
(tests/notifications/test_webpush.py).
"""

import base64
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from notifications.models import PushSubscription
from tests.notifications.push_server import Browser

pytestmark = pytest.mark.django_db
URL = "/api/v1/account/push-subscriptions"
GOOD = Browser()
GOOD_KEYS = GOOD.subscription()["keys"]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compressed_key() -> str:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    return b64(public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint))


def off_curve_key() -> str:
    return b64(b"\x04" + b"\x01" * 64)  # the right shape, but no point of P-256


def refused(user_api, body, field: str, words: str = "") -> dict:
    answer = user_api.post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    error = answer.json()
    assert field in error.get("fields", {}), error
    assert words.lower() in error["error"].lower()
    assert not PushSubscription.objects.exists()
    return error


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://10.0.0.8/push/x",
        "https://169.254.169.254/latest/meta-data",  # the cloud's metadata service
        "https://192.168.1.1/push",
        "https://127.0.0.1:6379/",  # loopback: refused unless the tests' setting allows it
        "https://[::1]/push",
        "https://[::ffff:10.0.0.1]/push",  # IPv4-mapped
        "https://[64:ff9b::a00:1]/push",  # NAT64 of 10.0.0.1
        "https://0.0.0.0/push",
        "https://localhost/push",  # a name that resolves to loopback
        "https://100.64.0.1/push",  # carrier-grade NAT
    ],
)
def test_endpoints_on_private_addresses_are_refused(user_api, endpoint):
    refused(user_api, {"endpoint": endpoint, "keys": GOOD_KEYS}, "endpoint", "private")


@pytest.mark.parametrize(
    "endpoint",
    [
        None,
        "",
        42,
        ["https://push.example/x"],
        "push.example/x",
        "ftp://push.example/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://93.184.215.14/push",  # plain http: only the tests' loopback service may use it
        "https://user:pass@93.184.215.14/push",  # credentials in the URL
        "https://93.184.215.14/" + "a" * 2048,
        "https://[not-an-address]/push",
        "https://93.184.215.14:99999/push",
    ],
)
def test_malformed_endpoints_are_refused(user_api, endpoint):
    refused(user_api, {"endpoint": endpoint, "keys": GOOD_KEYS}, "endpoint")


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        (None, "keys"),
        ("p256dh=abc", "keys"),
        ({}, "keys.p256dh"),
        ({"auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": GOOD_KEYS["p256dh"]}, "keys.auth"),
        ({"p256dh": compressed_key(), "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),  # 33 bytes
        ({"p256dh": off_curve_key(), "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": b64(os.urandom(64)), "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": GOOD_KEYS["p256dh"][:-2] + "!!", "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": "A" * 100_000, "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": 12345, "auth": GOOD_KEYS["auth"]}, "keys.p256dh"),
        ({"p256dh": GOOD_KEYS["p256dh"], "auth": b64(os.urandom(15))}, "keys.auth"),
        ({"p256dh": GOOD_KEYS["p256dh"], "auth": b64(os.urandom(17))}, "keys.auth"),
        ({"p256dh": GOOD_KEYS["p256dh"], "auth": "é" * 22}, "keys.auth"),
        ({"p256dh": GOOD_KEYS["p256dh"], "auth": ["x"]}, "keys.auth"),
    ],
)
def test_malformed_keys_are_refused(user_api, keys, field):
    refused(user_api, {"endpoint": "https://93.184.215.14/push/x", "keys": keys}, field)


@pytest.mark.parametrize("body", [[], "endpoint", 7, None])
def test_a_body_that_is_no_object_is_refused(user_api, body):
    answer = user_api.post(URL, body, format="json")
    assert answer.status_code == 400
    assert not PushSubscription.objects.exists()


def test_loopback_is_allowed_only_by_the_tests_setting(user_api, settings):
    body = {"endpoint": "http://127.0.0.1:9/push/x", "keys": GOOD_KEYS}
    refused(user_api, body, "endpoint")
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True
    assert user_api.post(URL, body, format="json").status_code == 201
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True
    other = {"endpoint": "http://10.0.0.1/push/x", "keys": GOOD_KEYS}  # loopback only: other ranges stay refused
    assert user_api.post(URL, other, format="json").status_code == 400
