"""The JavaScript side of translation: static/js calls gettext(), ngettext() and interpolate(),
which this catalogue defines for the page's language (Django's JavaScriptCatalog).

The language is in the address (/jsi18n/es.js), so a browser may keep each for a day and a reader
who switches language fetches the other one, and Django's cache keeps the rendered script.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from config.kernel.languages import supported

DAY = 60 * 60 * 24


class Catalog(JavaScriptCatalog):
    domain = "djangojs"
    packages = ["chirp"]  # not empty, so get_paths() below decides where the catalogues are

    def get_paths(self, packages):
        return [str(folder) for folder in settings.LOCALE_PATHS]

    def get(self, request, *args, **kwargs):
        language = supported(kwargs.pop("language", ""))
        if language is None:
            raise Http404("No such language.")
        with translation.override(language):
            return super().get(request, *args, **kwargs)


catalog = cache_page(DAY)(Catalog.as_view())
