"""The search box's little language: words, "exact phrases", #tag, from:username, -word.

Parsing never fails on odd input: an unclosed quote runs to the end, stray
punctuation is dropped, and the words only ever reach SQL as parameters.
Only an empty query, one with nothing to look for, or an overlong one is an
error (400 in the API, a message on the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from config.kernel.errors import ServiceError
from config.kernel.text import hashtag_key

MAX_LENGTH = 256
MAX_TERMS = 16
# An optional "-", then a quoted phrase (closed or not) or a bare token.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORDLIKE = re.compile(r"\w", re.UNICODE)
_TAG = re.compile(r"#(\w{1,100})", re.UNICODE)
_FROM = re.compile(r"from:@?(\w{1,30})", re.IGNORECASE | re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tabs and newlines are only spaces


@dataclass(frozen=True)
class TweetQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # words and phrases to leave out
    excluded_tags: tuple[str, ...] = ()

    @property
    def text_terms(self) -> tuple[str, ...]:
        return self.words + self.phrases


def checked(raw: str | None) -> str:
    """The query text, stripped, or a ServiceError saying what is wrong with it.

    The length and the control characters are judged on the text as sent.
    """
    text = raw or ""
    if len(text) > MAX_LENGTH:
        raise ServiceError(_("Search for at most %(limit)s characters.") % {"limit": MAX_LENGTH}, field="q")
    if _CONTROL.search(text):
        raise ServiceError(_("Search text can't contain control characters."), field="q")
    text = text.strip()
    if not text:
        raise ServiceError(_("Type something to search for."), field="q")
    return text


def _terms(text: str, limit: int | None) -> tuple[dict[str, list[str]], int]:
    """The terms by kind, the first `limit` of them (all when None), and how many there were."""
    found: dict[str, list[str]] = {name: [] for name in TweetQuery.__dataclass_fields__}
    count = 0
    for negate, phrase, token in _TOKEN.findall(text):
        if phrase:
            phrase = " ".join(phrase.split())
            if not _WORDLIKE.search(phrase):
                continue
            kind, term = ("excluded" if negate else "phrases"), phrase
        elif tag := _TAG.fullmatch(token):
            kind, term = ("excluded_tags" if negate else "tags"), hashtag_key(tag.group(1))
        elif (author := _FROM.fullmatch(token)) and not negate:
            kind, term = "authors", author.group(1)
        elif _WORDLIKE.search(token):
            kind, term = ("excluded" if negate else "words"), token
        else:
            continue
        count += 1
        if limit is None or count <= limit:
            found[kind].append(term)
    return found, count


def _query(found: dict[str, list[str]]) -> TweetQuery:
    return TweetQuery(**{name: tuple(dict.fromkeys(values)) for name, values in found.items()})


def parse(raw: str | None) -> TweetQuery:
    """The search page's reading: too many terms, or nothing to look for, is a message to the person."""
    found, count = _terms(checked(raw), limit=None)
    query = _query(found)
    if count > MAX_TERMS:
        raise ServiceError(_("Use at most %(limit)s search terms.") % {"limit": MAX_TERMS}, field="q")
    if not (query.text_terms or query.tags or query.authors):
        raise ServiceError(_("Add a word, a phrase, a #tag or from:someone to search for."), field="q")
    return query


def parse_api(raw: str | None) -> TweetQuery | None:
    """The API's reading: the first 16 terms count, and a query with nothing to look for (None) finds nothing.

    Only what the schema can say is refused (empty, too long, control characters): any other
    text is a search, though it may find nothing.
    """
    found, _count = _terms(checked(raw), limit=MAX_TERMS)
    query = _query(found)
    return query if query.text_terms or query.tags or query.authors else None
