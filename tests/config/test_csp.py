"""A Content-Security-Policy on every page: scripts and styles from this site only, no inline ones."""

import re

import pytest
from django.test import Client

from tests.images import image_bytes
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db

PAGES = ["/", "/explore", "/notifications", "/messages", "/search?q=hello", "/settings/profile", "/@alice",
         "/@alice/likes", "/trends", "/api/v1/docs/", "/settings/security"]  # fmt: skip
ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/@alice", "/no-such-page"]


def test_every_page_carries_a_strict_policy_and_has_no_inline_script_or_style(client_logged_in, user):
    from django.core.files.base import ContentFile

    user.header.save("h.webp", ContentFile(image_bytes("WEBP", (300, 100))), save=True)  # the profile's header
    post(user, "hello #world")
    visits = [(client_logged_in, path) for path in PAGES] + [(Client(), path) for path in ANONYMOUS_PAGES]
    for browser, path in visits:
        answer = browser.get(path)
        assert answer.status_code in (200, 404), path
        policy = answer["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path  # a nonce only if one was used
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path
        html = answer.content.decode()
        # No inline script. A JSON data block (allauth's passkey settings) is not run, and CSP doesn't govern it.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', html), path
        assert not re.search(r"\sstyle=", html), path  # no style attributes
        assert not re.search(r"<style(?![^>]*\bnonce=)", html), path  # a style element only with the nonce
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers


def test_the_api_docs_come_from_this_site(client):
    html = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert any("swagger-ui" in source for source in sources)


def test_debug_pages_dont_load_django_htmxs_error_replacer(client_logged_in, settings):
    settings.DEBUG = True  # as in `make run`: a 4xx htmx answer must still be swapped in place
    html = client_logged_in.get("/").content.decode()
    assert "django-htmx.js" not in html
    assert "django_htmx/htmx-2" in html
