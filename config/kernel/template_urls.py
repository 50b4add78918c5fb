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
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
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


def here() -> tuple:
    """What a URL's shape depends on besides its name; read it once for a run of URLs (a post card)."""
    return get_urlconf(), get_script_prefix(), get_language()


def short_reverse(view_name, args, where: tuple | None = None) -> str | None:
    """The URL reverse(view_name, args=args) gives, from its shape, or None where the short way doesn't apply."""
    kinds = tuple(_kind(arg) for arg in args)
    if not isinstance(view_name, str) or ":" in view_name or None in kinds:
        return None
    shape = _shape(*(where or here()), view_name, kinds)
    if shape is None:
        return None
    texts, order = shape
    return texts[0] + "".join(str(args[n]) + text for n, text in zip(order, texts[1:], strict=True))


def url_maker(where: tuple | None = None):
    """`url(view_name, *args)`: reverse(view_name, args=args), the short way where it applies (the Jinja2
    templates' `url()`). `where` (from `here()`) fixes the URL conf, prefix and language for all its URLs,
    so each name's shape is looked up once per maker (a page's cards make a few hundred URLs)."""
    if where is None:

        def url(view_name: str, *args) -> str:
            return short_reverse(view_name, args) or reverse(view_name, args=args)

        return url
    shapes: dict = {}

    def url(view_name: str, *args) -> str:
        kinds = tuple(map(_kind, args))
        try:
            shape = shapes[view_name, kinds]
        except KeyError:
            usable = isinstance(view_name, str) and ":" not in view_name and None not in kinds
            shape = shapes[view_name, kinds] = _shape(*where, view_name, kinds) if usable else None
        except TypeError:  # an unhashable name: reverse() says what is wrong with it
            shape = None
        if shape is None:
            return reverse(view_name, args=args)
        texts, order = shape
        found = texts[0]
        for n, text in zip(order, texts[1:], strict=True):
            found += str(args[n]) + text
        return found

    return url


class URLNode(defaulttags.URLNode):
    def render(self, context):
        if not self.kwargs:
            found = short_reverse(self.view_name.resolve(context), [arg.resolve(context) for arg in self.args])
            if found is not None:
                if self.asvar:
                    context[self.asvar] = found
                    return ""
                return conditional_escape(found) if context.autoescape else found
        return super().render(context)


@register.tag("url")
def url_tag(parser, token):
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
