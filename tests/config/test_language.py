"""Each request runs with LANGUAGE_CODE active (config.kernel.middleware.DefaultLanguageMiddleware)."""

from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from config.kernel.middleware import DefaultLanguageMiddleware


def test_the_default_language_is_active_while_the_view_runs():
    seen = []
    translation.deactivate_all()  # as a fresh thread: nothing active
    assert translation.get_language() is None
    DefaultLanguageMiddleware(lambda request: seen.append(translation.get_language()))(RequestFactory().get("/"))
    assert seen == [settings.LANGUAGE_CODE]
    translation.deactivate()


def test_it_runs_before_anything_that_renders(settings):
    order = settings.MIDDLEWARE
    assert order.index("config.kernel.middleware.DefaultLanguageMiddleware") < order.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
