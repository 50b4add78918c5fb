"""The base layout: landmarks, navigation, and the pages it links to."""

import re

import pytest

pytestmark = pytest.mark.django_db

NAV = ["Home", "Explore", "Notifications", "Messages", "Bookmarks", "Lists", "Profile", "Drafts", "Settings"]


def test_layout_has_landmarks_skip_link_and_htmx(client_logged_in):
    html = client_logged_in.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="primary-nav" aria-label="Primary">' in html
    assert '<aside class="sidebar" aria-label="Discover">' in html
    assert re.search(r'<script src="/static/django_htmx/htmx-2[^"]*\.js"', html)
    assert 'name="viewport"' in html and 'name="color-scheme" content="light dark"' in html


def test_navigation_links_all_answer_and_mark_the_current_page(client_logged_in, user):
    html = client_logged_in.get("/").content.decode()
    nav = html[html.index('aria-label="Primary"') : html.index("</nav>")]
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>.*?<span class="nav-label">([^<]+)</span>', nav, re.S))
    assert sorted(links.values()) == sorted(NAV)
    for href, label in links.items():
        page = client_logged_in.get(href, follow=True)
        assert page.status_code == 200, label
        current = re.search(r'<a href="[^"]+" aria-current="page">.*?<span class="nav-label">([^<]+)</span>',
                            page.content.decode(), re.S)  # fmt: skip
        assert current and current.group(1) == label


def test_anonymous_navigation_offers_log_in(client, db):
    html = client.get("/").content.decode()
    assert "Notifications" not in html
    assert "Log in" in html and "Create account" in html


def test_pages_for_signed_in_people_redirect_to_login(client, db):
    for path in ("/notifications", "/messages", "/settings/profile", "/settings/privacy", "/settings/account"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/")


def test_html_404_page(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_explore_lists_people(client, user, other_user):
    html = client.get("/explore").content.decode()
    assert "@alice" in html and "@bob" in html
