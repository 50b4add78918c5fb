"""Muted words: matching a person's muted words, phrases and hashtags against posts, at read time.

Every read path that filters asks here: the home timeline, search and
notifications (through `tweets.selectors.hydrate(..., muted_in=...)`), the
live `timeline.new` and notification events, and anything else that shows
posts (`hides(tweet_or_text, viewer, context)`).

Matching is whole-word, case- and accent-insensitive: both sides are
normalised (NFKD, combining marks dropped, casefolded) and each phrase
becomes a word sequence between word boundaries. `#tag` matches only the
hashtag; `tag` matches the word and the hashtag `#tag`.

A person's active words are read once per request: from the object's own
memo, else the Django cache (Redis), else one query; writes drop the cache.
Expiry is checked at match time, so a word stops matching the moment it
expires even while cached.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import LazyObject

from config.kernel.api.pagination import keyset_page
from config.kernel.routers import primary_reads
from social.graph.models import MutedWord

Context = MutedWord.Context
CONTEXTS = tuple(Context.values)
MAX_LENGTH = 100
MAX_PER_PERSON = 200
CACHE_SECONDS = 10 * 60  # bounds how long a read racing a write could keep the old words
_MEMO = "_muted_words_memo"


def normalise(text: str) -> str:
    """Case- and accent-free text: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def phrase_key(phrase: str) -> str:
    """What makes two phrases the same muted word: normalised, spaces collapsed."""
    return " ".join(normalise(phrase).split())


_WORD = re.compile(r"\w")


def _pattern(phrase: str) -> str:
    words = phrase_key(phrase).split()
    body = r"[\W_]+".join(re.escape(w) for w in words)
    # `\w` edges need a boundary; a leading `#` or `@` must not follow a word character or another `#`/`@`.
    left = r"(?<!\w)" if _WORD.match(words[0][0]) else r"(?<![\w#@])"
    right = r"(?!\w)" if _WORD.match(words[-1][-1]) else ""
    return f"{left}{body}{right}"


@lru_cache(maxsize=1024)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One regex for a viewer's words in one context (cached: the same words come back on every page)."""
    parts = [_pattern(p) for p in phrases if phrase_key(p)]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


@dataclass(frozen=True)
class Word:
    phrase: str
    context: str
    expires_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now

    def applies(self, context: str) -> bool:
        return self.context == context or self.context == Context.EVERYWHERE


class Matcher:
    """A viewer's active words in one context: `hides(text)`."""

    def __init__(self, phrases: Iterable[str]):
        self.phrases = tuple(sorted(set(phrases)))
        self.regex = _compiled(self.phrases) if self.phrases else None

    def __bool__(self) -> bool:
        return self.regex is not None

    def hides_text(self, text: str | None) -> bool:
        return bool(self.regex and text and self.regex.search(normalise(text)))

    def hides(self, tweet_or_text) -> bool:
        """A post is hidden when its text, or the text of the post it retweets or quotes, matches.

        Works on `hydrate`d posts and on plain ones whose references are loaded; never queries.
        """
        if self.regex is None or tweet_or_text is None:
            return False
        if isinstance(tweet_or_text, str):
            return self.hides_text(tweet_or_text)
        return any(self.hides_text(getattr(t, "text", "")) for t in _shown_posts(tweet_or_text))


def _loaded(tweet, field: str):
    if not getattr(tweet, f"{field}_id", None):
        return None
    try:
        descriptor = type(tweet)._meta.get_field(field)
    except Exception:  # not a Tweet-like model
        return None
    return getattr(tweet, field) if descriptor.is_cached(tweet) else None


def _shown_posts(tweet) -> list:
    """The post, what it retweets, and what that quotes: the texts its card shows."""
    original = _loaded(tweet, "retweet_of") or tweet
    posts = [tweet, original]
    quoted = _loaded(original, "quote_of")
    if quoted is not None:
        posts.append(quoted)
    return posts


# --- loading a viewer's words --------------------------------------------------------------------


def cache_key(user_id: int) -> str:
    return f"muted-words:{user_id}"


def _load(user_id: int) -> list[Word]:
    key = cache_key(user_id)
    cached = cache.get(key)
    if cached is None:
        now = timezone.now()
        rows = MutedWord.objects.filter(user_id=user_id).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        with primary_reads():  # cached past the request: not from a lagging replica
            cached = [(r.phrase, r.context, r.expires_at) for r in rows.only("phrase", "context", "expires_at")]
        cache.set(key, cached, CACHE_SECONDS)
    return [Word(*row) for row in cached]


def words_of(viewer) -> list[Word]:
    """The viewer's words (active or not yet swept), once per request: memoised on the user object."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    person = viewer._wrapped if isinstance(viewer, LazyObject) else viewer  # request.user is lazy
    if person.__dict__.get("mutes_words") is False:  # loaded with the user, and false: nothing to look up
        return []
    memo = getattr(viewer, _MEMO, None)
    if memo is None:
        memo = _load(viewer.pk)
        setattr(viewer, _MEMO, memo)
    return memo


def forget(user) -> None:
    """After a write: drop the cache and the memo on this object (the next read loads again)."""
    cache.delete(cache_key(user.pk))
    if user is not None and hasattr(user, _MEMO):
        delattr(user, _MEMO)


def matcher(viewer, context: str) -> Matcher:
    """The viewer's active words for `context` (home, notifications or search)."""
    now = timezone.now()
    return Matcher(w.phrase for w in words_of(viewer) if w.active(now) and w.applies(context))


def matchers_for(user_ids: Iterable[int], context: str) -> dict[int, Matcher]:
    """Many people's matchers in one query (live events go to many at once); only those with words."""
    now = timezone.now()
    phrases: dict[int, list[str]] = {}
    rows = (
        MutedWord.objects.filter(user_id__in=list(user_ids), context__in=[context, Context.EVERYWHERE])
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("user_id", "phrase")
    )
    for user_id, phrase in rows:
        phrases.setdefault(user_id, []).append(phrase)
    return {user_id: Matcher(found) for user_id, found in phrases.items()}


def spared(user_ids: Iterable[int], context: str, load_entry: Callable[[], object]) -> list[int]:
    """Those of `user_ids` whose muted words don't hide an entry in `context` (live events to many
    people at once). `load_entry` is called only when someone has words, as most people mute nothing."""
    user_ids = list(user_ids)
    matchers = matchers_for(user_ids, context)
    if not matchers:
        return user_ids
    entry = load_entry()
    if entry is None:
        return user_ids
    return [u for u in user_ids if u not in matchers or not matchers[u].hides(entry)]


def hides(tweet_or_text, viewer, context: str) -> bool:
    """Whether the viewer's muted words hide this post (or text) in `context`: the one call for other read paths.

    The viewer's own posts are never hidden from them.
    """
    if not isinstance(tweet_or_text, str) and getattr(tweet_or_text, "author_id", None) == getattr(viewer, "pk", None):
        return False
    return matcher(viewer, context).hides(tweet_or_text)


# --- the settings list and the API ---------------------------------------------------------------


def muted_words_list(user) -> QuerySet[MutedWord]:
    """The person's muted words, active ones only, newest first (expired ones wait for the sweep unseen)."""
    return MutedWord.objects.filter(user=user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def muted_words_page(user, page) -> tuple[list[MutedWord], int | None]:
    return keyset_page(muted_words_list(user), page)
