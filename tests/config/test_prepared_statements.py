"""Statements are prepared after a few runs (settings: prepare_threshold), searches never (planned_each_time)."""

import pytest
from django.db import connection

from config.kernel.api.pagination import PageRequest
from search import selectors as search
from search.query import parse
from tests.factories import UserFactory
from tweets.models import Tweet
from tweets.selectors import load_cards

pytestmark = pytest.mark.django_db


def prepared(fragment: str) -> list[str]:
    """This connection's prepared statements whose text holds `fragment`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if fragment in row[0]]


def test_a_hot_statement_is_prepared_after_a_few_runs():
    tweet = Tweet.objects.create(author=UserFactory(), text="hello")
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    assert threshold == 5  # the default of DATABASE_PREPARE_THRESHOLD
    for _ in range(threshold):
        assert [t.pk for t in load_cards([tweet.pk])] == [tweet.pk]
    assert not prepared("wanted AS")  # not yet: a statement run once stays unprepared
    load_cards([tweet.pk])
    assert len(prepared("wanted AS")) == 1  # the page's cards: parsed and planned once from now on


def test_searches_are_planned_for_their_own_words_every_time():
    ann = UserFactory(username="annsearch")
    Tweet.objects.create(author=ann, text="gardening tips for spring")
    connection.ensure_connection()
    for _ in range(10):
        found, _cursor = search.search_tweets(ann, parse("gardening"), PageRequest(cursor=None, limit=20))
        assert [t.text for t in found] == ["gardening tips for spring"]
        assert [u.username for u in search.ranked_people(ann, "annse")] == ["annsearch"]
    assert not prepared("tsquery")
    assert not prepared("UPPER(")
    assert connection.connection.prepare_threshold == 5  # given back for everything after the search


def test_the_threshold_comes_back_when_a_search_fails():
    connection.ensure_connection()

    @search.planned_each_time()
    def failing():
        assert connection.connection.prepare_threshold is None
        raise ValueError

    with pytest.raises(ValueError):
        failing()
    assert connection.connection.prepare_threshold == 5
