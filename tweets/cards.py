"""The post card, written in Jinja2 (templates/jinja2/tweets/), and the helpers it shares with the pages.

Every list of posts (home, profiles, search, hashtags, threads, notifications)
renders a card per post. In Django's template language the card took about
four fifths of a home page's CPU; Jinja2 compiles the same markup to Python
(docs/PERFORMANCE.md, "The post card"). The pages stay in Django's language
and place a card with `{% card tweet %}` (tweets/templatetags/tweets.py).
"""

from __future__ import annotations

import functools
from html import escape
from types import FunctionType

from django.middleware.csrf import get_token
from django.template import engines
from django.utils import dateformat, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from jinja2 import Environment
from jinja2.runtime import Context
from markupsafe import Markup

from accounts.templatetags.chirp import avatar, icon, short_time
from config.kernel.http import page_path
from config.kernel.template_urls import here, url_maker

url = url_maker()  # for text and the environment; a page's cards get one with its URL settings read once


def _link(entity: dict, label: str, url) -> str:
    # f-strings and the standard library's escape over format_html: the same escaping (every value is
    # plain text) at a fraction of the cost, which counts with three links a post, twenty posts a page.
    kind = entity["type"]
    if kind == "mention":
        return f'<a class="mention" href="{escape(url("profile", entity["username"]))}">{escape(label)}</a>'
    if kind == "hashtag":
        return f'<a class="hashtag" href="{escape(url("hashtag", entity["tag"]))}">{escape(label)}</a>'
    # The parser only finds http(s) links, so no "javascript:" URL can get here.
    shown = label.split("://", 1)[-1]
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return (
        f'<a class="link" href="{escape(entity["url"])}" rel="nofollow ugc noopener noreferrer" target="_blank">'
        f"{escape(shown)}</a>"
    )


def render_text(tweet, url=None) -> SafeString:
    """The text as HTML: user text is escaped, never trusted as markup. `url`: a url_maker for a batch."""
    text, url = tweet.text, url or url_maker(here())
    parts, cursor = [], 0
    for entity in sorted(tweet.entities or [], key=lambda e: e["start"]):
        start, end = entity["start"], entity["end"]
        if start < cursor or end > len(text):
            continue  # stale offsets (never expected) must not garble the text
        parts.append(escape(text[cursor:start]))
        parts.append(_link(entity, text[start:end], url))
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def compact(number: int) -> str:
    """1234 -> "1.2K", as counts show on cards."""
    if number < 1000:
        return str(number)
    for divisor, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if number >= divisor:
            value = number / divisor
            return f"{value:.1f}".rstrip("0").rstrip(".") + suffix if value < 10 else f"{int(value)}{suffix}"
    return str(number)


def retweeted_by(tweet, viewer_id) -> SafeString:
    """ "You", "Ann and Bob", "Ann, Bob and 3 others": who retweeted, as links (in the reader's language)."""
    people = getattr(tweet, "retweeters", None) or [tweet.author]

    def name(person):
        if viewer_id is not None and viewer_id == person.pk:
            # Translators: the reader, among who retweeted ("You retweeted", "You and Ann retweeted").
            label = pgettext("who retweeted", "You")
        else:
            label = person.display_name
        return format_html('<a href="{}">{}</a>', url("profile", person.username), label)

    shown = [name(p) for p in people[:2]]
    if len(people) == 1:
        return shown[0]
    if len(people) == 2:
        return format_html(gettext("{first} and {second}"), first=shown[0], second=shown[1])
    others = len(people) - 2
    return format_html(
        ngettext("{first}, {second} and {count} other", "{first}, {second} and {count} others", others),
        first=shown[0],
        second=shown[1],
        count=others,
    )


# Format letters that show the seconds or finer: such formats are worked out for each value.
_FINER_THAN_MINUTES = frozenset("crsuUv")


def date(value, format_string: str) -> str:
    """Django's `date` filter: the value in the current time zone, in Django's format letters."""
    if not value:
        return ""
    if format_string == "c":
        return timezone.localtime(value).isoformat()
    if _FINER_THAN_MINUTES.isdisjoint(format_string):
        # A card's full date ("Dec 5, 2026, 4:30 p.m. UTC") cost an eighth of a card; posts on one page
        # and across readers share minutes, so the text is kept per minute, zone and language.
        zone, language = timezone.get_current_timezone(), translation.get_language()
        return _date_in_minute(value.replace(second=0, microsecond=0), format_string, zone, language)
    return dateformat.format(timezone.localtime(value), format_string)


@functools.lru_cache(maxsize=4096)
def _date_in_minute(minute, format_string: str, zone, language: str) -> str:
    # `language` is in the key only to keep languages apart: the active one is what formats.
    return dateformat.format(timezone.localtime(minute, zone), format_string)


# (language, message, with values?): the message as a format, or as shown when it has no values
_TRANSLATED: dict[tuple[str, str, bool], Markup] = {}


def _gettext(message: str, /, **variables) -> Markup:
    """`_()` and `gettext()` in the templates: Jinja2's "newstyle" gettext (the message is a format string,
    its named values escaped), called directly, with each message kept per language.

    Jinja2's own newstyle callable goes through two more template calls and formats even a message
    without values; a page asks for some 250 messages, most without values. Django's catalogues do not
    change while a process runs, so neither does a message's translation; the templates pass literal
    strings, so the dictionary stays small (the bound is for safety).
    """
    key = (translation.get_language(), message, bool(variables))
    text = _TRANSLATED.get(key)
    if text is None:
        text = Markup(translation.gettext(message))  # noqa: S704 - our catalogue's text, as Jinja2's newstyle gettext marks it
        if not variables:
            text %= {}  # as newstyle shows a message without values: "%%" is "%"
        if len(_TRANSLATED) < 10_000:
            _TRANSLATED[key] = text
    return text % variables if variables else text


def _ngettext(singular: str, plural: str, number: int, /, **variables) -> Markup:
    """`ngettext()` in the templates, as Jinja2's newstyle one (`num` is a value too), called directly."""
    variables.setdefault("num", number)
    return Markup(translation.ngettext(singular, plural, number)) % variables  # noqa: S704 - as above


class CallContext(Context):
    """Jinja2's context, calling plain functions straight away.

    Jinja2 sends every call in a template through `Context.call`, which looks
    for `pass_context` and its kind on the object and on its `__call__` first:
    about a third of a microsecond each, and a page's cards make some six hundred
    calls (url, _, icon). A function marked `pass_context` (or anything that is
    not a plain function) still goes Jinja2's way.
    """

    def call(__self, __obj, *args, **kwargs):  # Jinja2's own names, which keyword arguments cannot clash with
        if type(__obj) is not FunctionType or "jinja_pass_arg" in __obj.__dict__:
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # calls inside loops and blocks carry these for context functions
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja2 does
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration")


def environment(**options) -> Environment:
    """The Jinja2 engine of settings.TEMPLATES: Django's URLs, icons and avatars, and the card's filters."""
    options.pop("autoescape", None)  # user text is never markup, whatever the settings say
    # Jinja2's i18n, over Django's catalogues: {{ _("Like") }}, {% trans %}, ngettext; "newstyle" takes
    # named values (_("%(n)s likes", n=3)) and escapes them. config/management/commands/makemessages.py
    # reads the .jinja files with Jinja2's own extractor.
    extensions = [*options.pop("extensions", []), "jinja2.ext.i18n"]
    env = Environment(autoescape=True, extensions=extensions, **options)
    env.context_class = CallContext
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)  # not wrapped in template calls
    env.globals.update(url=url, icon=icon, avatar=avatar, retweeted_by=retweeted_by)
    env.filters.update(render_text=render_text, compact=compact, short_time=short_time, date=date)
    return env


def _csrf_input(token) -> str:
    # What {% csrf_token %} writes; no token (a page built off the request) writes nothing.
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker for "no token", not a secret
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def page(*, user, request=None, csrf_token=None) -> dict:
    """What every card of one page shares: who is looking, the form token, the page to come back to, its URLs."""
    signed_in = user is not None and user.is_authenticated
    if signed_in and request is not None and csrf_token is None:
        csrf_token = get_token(request)
    return {
        "viewer_id": user.pk if signed_in else None,
        "signed_in": signed_in,
        # Only a signed-in viewer's cards have forms.
        "csrf_input": _csrf_input(csrf_token) if signed_in else "",
        "next_path": page_path(request) if request is not None else "",
        # The reader's display settings, from the user row the request already has (no query).
        "show_sensitive": signed_in and getattr(user, "show_sensitive_media", False),
        "expand_cw": signed_in and getattr(user, "expand_content_warnings", False),
        "url": url_maker(here()),
    }


def render(name: str, context: dict, shared: dict) -> SafeString:
    """templates/jinja2/`name` with `context` and what the page's cards share (`page()`)."""
    template = engines["jinja2"].env.get_template(name)
    return mark_safe(template.render({**shared, **context}))  # noqa: S308 - autoescaped by the engine


def card(tweet, shared: dict, *, highlight=False, thread=False) -> SafeString:
    """One post's card, as every list shows it."""
    return render("tweets/card.jinja", {"tweet": tweet, "highlight": highlight, "thread": thread}, shared)
