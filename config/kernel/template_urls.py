"""`{% url %}` as Django's, with each URL's shape worked out once per process.

Django's tag runs the whole reverse on every use, about 25 µs; a home page of
20 posts has over 200 of them, a sixth of its CPU. A builtin template library
(settings TEMPLATES "builtins"), so it stands in for Django's tag everywhere.

The short way is taken only where it gives exactly what reverse() would: a
view name without a namespace with one URL pattern, every parameter one of
Django's `int`, `str` or `slug` converters, and every argument positional
and either a non-negative int or a string of ASCII letters, digits and `_`
(ids and usernames), which each of those converters takes as it is and
quoting leaves alone. Anything else (kwargs, namespaces, other converters or
values) goes through Django's reverse, errors and all.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

from django import template
from django.template import defaulttags
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

register = template.Library()

WORD = re.compile(r"[A-Za-z0-9_]+")
MARK = "Zq9Mark{}Zq"  # a placeholder that quoting leaves as it is


def _kind(value) -> str | None:
    if type(value) is int:  # not bool
        return "int" if value >= 0 else None
    if isinstance(value, str) and WORD.fullmatch(value):  # SafeString too (a quoted literal)
        return "word"
    return None


@functools.lru_cache(maxsize=2048)
def _shape(urlconf, prefix: str, language, view_name: str, kinds: tuple[str, ...]):
    """(texts, order): the URL cut at its arguments ("/tweets/", "/like") and which argument goes in
    each cut, or None when the short way doesn't apply.

    `language` is only part of the key: patterns under i18n_patterns reverse per language.
    """
    candidates = get_resolver(urlconf).reverse_dict.getlist(view_name)
    if len(candidates) != 1:
        return None
    possibilities, _pattern, defaults, converters = candidates[0]
    if len(possibilities) != 1 or defaults:
        return None
    result, params = possibilities[0]
    if len(params) != len(kinds):
        return None
    for param, kind in zip(params, kinds, strict=True):
        converter = type(converters.get(param))
        if converter not in (IntConverter, StringConverter, SlugConverter) or (
            converter is IntConverter and kind != "int"
        ):
            return None
    url = quote(
        prefix + result % {param: MARK.format(i) for i, param in enumerate(params)}, safe=RFC3986_SUBDELIMS + "/~:@"
    )
    if url.startswith("//"):
        return None  # reverse() escapes a leading "//"; leave that to it
    pieces = re.split(MARK.format(r"(\d+)"), url)  # text, argument number, text, ...
    return tuple(pieces[::2]), tuple(int(n) for n in pieces[1::2])


class URLNode(defaulttags.URLNode):
    def render(self, context):
        if not self.kwargs:
            view_name = self.view_name.resolve(context)
            args = [arg.resolve(context) for arg in self.args]
            kinds = tuple(_kind(arg) for arg in args)
            if isinstance(view_name, str) and ":" not in view_name and None not in kinds:
                shape = _shape(get_urlconf(), get_script_prefix(), get_language(), view_name, kinds)
                if shape is not None:
                    texts, order = shape
                    url = texts[0] + "".join(str(args[n]) + text for n, text in zip(order, texts[1:], strict=True))
                    if self.asvar:
                        context[self.asvar] = url
                        return ""
                    return conditional_escape(url) if context.autoescape else url
        return super().render(context)


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
