"""The search box's little language: words, "exact phrases", #tag, from:username, -word.

Parsing never fails on odd input: an unclosed quote runs to the end, stray
punctuation is dropped, and the words only ever reach SQL as parameters.
Only an empty query, one with nothing to look for, or an overlong one is an
error (400 in the API, a message on the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.errors import ServiceError
from tweets.text import hashtag_key

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
    """The query text, stripped, or a ServiceError saying what is wrong with it."""
    text = (raw or "").strip()
    if not text:
        raise ServiceError("Type something to search for.", field="q")
    if len(text) > MAX_LENGTH:
        raise ServiceError(f"Search for at most {MAX_LENGTH} characters.", field="q")
    if _CONTROL.search(text):
        raise ServiceError("Search text can't contain control characters.", field="q")
    return text


def parse(raw: str | None) -> TweetQuery:
    text = checked(raw)
    found: dict[str, list[str]] = {name: [] for name in TweetQuery.__dataclass_fields__}
    for negate, phrase, token in _TOKEN.findall(text):
        if phrase:
            phrase = " ".join(phrase.split())
            if _WORDLIKE.search(phrase):
                found["excluded" if negate else "phrases"].append(phrase)
        elif tag := _TAG.fullmatch(token):
            found["excluded_tags" if negate else "tags"].append(hashtag_key(tag.group(1)))
        elif (author := _FROM.fullmatch(token)) and not negate:
            found["authors"].append(author.group(1))
        elif _WORDLIKE.search(token):
            found["excluded" if negate else "words"].append(token)
    query = TweetQuery(**{name: tuple(dict.fromkeys(values)) for name, values in found.items()})
    if sum(len(values) for values in found.values()) > MAX_TERMS:
        raise ServiceError(f"Use at most {MAX_TERMS} search terms.", field="q")
    if not (query.text_terms or query.tags or query.authors):
        raise ServiceError("Add a word, a phrase, a #tag or from:someone to search for.", field="q")
    return query
