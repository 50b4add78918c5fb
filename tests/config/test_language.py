"""The reader's language (config/kernel/languages.py): their setting, else the cookie, else Accept-Language."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from config.kernel.languages import LanguageMiddleware, UserLanguageMiddleware
from tests.factories import UserFactory


def seen_language(**headers) -> tuple[str, object]:
    seen = []
    translation.deactivate_all()  # as a fresh thread: nothing active
    response = LanguageMiddleware(lambda request: seen.append(translation.get_language()) or _response())(
        RequestFactory().get("/", **headers)
    )
    translation.deactivate()
    return seen[0], response


def _response():
    from django.http import HttpResponse

    return HttpResponse("ok")


def test_a_visitor_with_no_preference_reads_english():
    language, response = seen_language()
    assert language == settings.LANGUAGE_CODE == "en"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("es-ES,es;q=0.9,en;q=0.8", "es"), ("es-MX", "es"), ("fr-FR,es;q=0.5", "es"), ("de, fr", "en"), ("\x00es", "en")],
)
def test_accept_language_picks_a_supported_language(header, expected):
    assert seen_language(HTTP_ACCEPT_LANGUAGE=header)[0] == expected


@pytest.mark.parametrize(("cookie", "expected"), [("es", "es"), ("xx", "en"), ("es\x00", "en"), ("e" * 5000, "en")])
def test_the_cookie_wins_over_the_browser_and_a_bad_cookie_is_ignored(cookie, expected):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    seen = []
    LanguageMiddleware(lambda r: seen.append(translation.get_language()) or _response())(request)
    translation.deactivate()
    assert seen == [expected]


@pytest.mark.django_db
def test_a_readers_language_ends_with_their_request(client):
    # What the thread does next outside a request (a test, a task run in place) is not in their language.
    reader = UserFactory(language="es")
    client.force_login(reader)
    with translation.override("en"):
        answer = client.get("/")
        assert answer["Content-Language"] == "es" and translation.get_language() == "en"
    translation.deactivate_all()
    client.get("/")
    assert translation.get_language() is None  # nothing active before, nothing after


@pytest.mark.parametrize(("chosen", "expected"), [("es", "es"), ("", "en"), ("xx", "en")])
def test_a_signed_in_readers_choice_wins_and_a_stale_one_is_ignored(chosen, expected):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    request.user = UserFactory.build(language=chosen)
    seen = []
    inner = UserLanguageMiddleware(lambda r: seen.append((translation.get_language(), r.LANGUAGE_CODE)) or _response())
    LanguageMiddleware(inner)(request)
    translation.deactivate()
    assert seen == [(expected, expected)]


def test_the_visitor_step_runs_before_anything_that_renders_and_the_reader_step_after_auth(settings):
    order = settings.MIDDLEWARE
    assert order.index("config.kernel.languages.LanguageMiddleware") < order.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert order.index("config.kernel.languages.UserLanguageMiddleware") > order.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_each_language_has_a_javascript_catalogue_a_browser_may_keep(client, language):
    response = client.get(f"/jsi18n/{language}.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=86400" in response["Cache-Control"]
    assert "django.gettext = function" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["xx", "en-us", "..", "es%00", "e" * 300])
def test_an_unknown_language_has_no_catalogue(client, name):
    assert client.get(f"/jsi18n/{name}.js").status_code in {400, 404}


@pytest.mark.django_db
def test_every_page_loads_its_languages_catalogue_before_its_scripts(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in page
    assert page.index('src="/jsi18n/es.js"') < page.index("/js/app.")
