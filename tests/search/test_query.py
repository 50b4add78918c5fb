"""The search box's language, parsed without a database."""

import pytest

from config.kernel.errors import ServiceError
from search.query import MAX_LENGTH, TweetQuery, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coffee", TweetQuery(words=("coffee",))),
        ('"quick brown" fox', TweetQuery(words=("fox",), phrases=("quick brown",))),
        ("#Django", TweetQuery(tags=("django",))),
        ("from:@Alice tea", TweetQuery(words=("tea",), authors=("Alice",))),
        ("tea -coffee", TweetQuery(words=("tea",), excluded=("coffee",))),
        ('tea -"green tea"', TweetQuery(words=("tea",), excluded=("green tea",))),
        ("tea -#decaf", TweetQuery(words=("tea",), excluded_tags=("decaf",))),
        ('"unclosed phrase', TweetQuery(phrases=("unclosed phrase",))),
        ("tea tea TEA", TweetQuery(words=("tea", "TEA"))),
        ("'; DROP TABLE tweets_tweet; --", TweetQuery(words=("DROP", "TABLE", "tweets_tweet;"))),
        ("café ☕ !!!", TweetQuery(words=("café",))),
    ],
)
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type something"),
        ("   ", "Type something"),
        ("x" * (MAX_LENGTH + 1), "at most 256"),
        ("-coffee", "Add a word"),
        ('"" !!! -', "Add a word"),
        (" ".join(f"w{i}" for i in range(17)), "at most 16"),
    ],
)
def test_refused(text, message):
    with pytest.raises(ServiceError, match=message) as error:
        parse(text)
    assert error.value.fields == {"q": [error.value.message]}
