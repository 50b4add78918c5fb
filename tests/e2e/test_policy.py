"""The Content-Security-Policy as a browser enforces it: nothing on the pages is refused, the API docs work."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = ["/", "/explore", "/notifications", "/messages", "/search?q=hello", "/settings/profile", "/@ivy"]


def test_no_page_breaks_the_policy_and_the_api_docs_render_offline(browser, live_server_url, sign_in, shoot):
    ivy = UserFactory(username="ivy", name="Ivy Policy")
    post(ivy, "hello #policy")
    context = browser.new_context()
    sign_in(context, ivy)
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    context.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    for path in PAGES:
        page.goto(live_server_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(live_server_url + "/")
    page.get_by_label("Post text").fill("typing works under the policy")  # the page's own script runs
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_enabled()
    page.goto(live_server_url + "/api/v1/docs/")  # nothing from outside this site is reachable
    expect(page.get_by_role("heading", name="Chirp API")).to_be_visible(timeout=15000)
    expect(page.get_by_text("/api/v1/signup").first).to_be_visible()
    shoot(page, "50-api-docs")
    assert refused == []
    context.close()
