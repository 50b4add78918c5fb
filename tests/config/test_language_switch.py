"""The visitors' language switch (base.html's footer, posting to Django's set_language) and the page's
<html lang>: the cookie it sets, and Accept-Language for a visitor who never chose."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_switch_with_each_language_by_its_own_name(client):
    html = client.get("/explore").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<label for="language-switch">' in html and 'id="language-switch" name="language"' in html
    assert '<input type="hidden" name="next" value="/explore">' in html
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in html and f">{name}</option>" in html


def test_a_signed_in_reader_chooses_in_settings_instead(client_logged_in):
    assert 'action="/i18n/setlang/"' not in client_logged_in.get("/explore").content.decode()


def test_choosing_spanish_sets_the_cookie_and_the_next_page_is_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/explore"})
    assert response.status_code == 302 and response["Location"] == "/explore"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get("/explore")
    assert '<html lang="es">' in page.content.decode()
    assert page["Content-Language"] == "es"


def test_a_language_not_offered_changes_nothing(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/explore"})
    assert '<html lang="en">' in client.get("/explore").content.decode()


def test_accept_language_gives_a_visitor_their_browsers_language(client):
    assert '<html lang="es">' in client.get("/explore", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in client.get("/explore").content.decode()
