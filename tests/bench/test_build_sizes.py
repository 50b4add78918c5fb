"""The data builder's sizes: presets unchanged, any size otherwise, impossible ones refused, recorded."""

import argparse
import statistics

import pytest

from bench import build


def test_presets_resolve_to_their_own_figures():
    """full and small must draw exactly what they drew before sizes could be given."""
    for name, preset in build.SCALES.items():
        assert build.resolve(name) == preset


def test_given_sizes_replace_the_preset_and_likes_follow_tweets():
    scale = build.resolve("full", users=50_000, tweets=2_000_000, stars=10, median_followees=150)
    assert scale == {**build.SCALES["full"], "users": 50_000, "tweets": 2_000_000, "likes": 4_000_000, "stars": 10,
                     "median_followees": 150}  # fmt: skip
    assert build.resolve("small", likes=5)["likes"] == 5


def test_dependent_sizes_shrink_to_fit_fewer_users():
    scale = build.resolve("full", users=100)
    assert scale["median_followees"] == 20  # a fifth of everyone
    assert scale["reader_following"] == 47  # half of the 94 non-stars other than the reader
    assert scale["stars"] == 5


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ({"users": 14}, "--users 14"),
        ({"users": 100, "median_followees": 21}, "between 3 and 20"),
        ({"median_followees": 2}, "between 3"),
        ({"users": 100, "stars": 80}, "at most 79"),
        ({"users": 100, "reader_following": 97}, "at most 96"),
        ({"tweets": 0}, "--tweets"),
        ({"users": 20, "tweets": 10, "likes": 91}, "at most 90"),
        ({"likes": -1}, "negative"),
    ],
)
def test_impossible_sizes_are_refused(sizes, message):
    with pytest.raises(build.ScaleError, match=message):
        build.resolve("small", **sizes)


def test_size_arguments_pass_through_unchanged():
    """bench.run hands its size options to bench.build with size_argv()."""
    parser = argparse.ArgumentParser()
    build.add_size_options(parser)
    argv = ["--users", "900", "--follows-per-user", "30", "--celebrities", "4", "--likes", "7", "--reader-following",
            "200", "--tweets", "1000"]  # fmt: skip
    given = build.size_options(parser.parse_args(argv))
    assert given == {"users": 900, "tweets": 1000, "likes": 7, "median_followees": 30, "stars": 4,
                     "reader_following": 200}  # fmt: skip
    assert build.size_options(parser.parse_args(build.size_argv(parser.parse_args(argv)))) == given
    assert build.size_options(parser.parse_args([])) == {}


def test_a_custom_graph_has_the_sizes_asked_and_is_the_same_each_time():
    scale = build.resolve("small", users=300, median_followees=20, stars=2, reader_following=40)
    follows = build.Builder(scale, seed=5).follows()
    again = build.Builder(scale, seed=5).follows()
    assert [row[2:] for row in follows] == [row[2:] for row in again]  # not the id or the time: `now` moves
    followees: dict[int, int] = {}
    followers: dict[int, int] = {}
    for _, _, followee, follower in follows:
        followees[follower] = followees.get(follower, 0) + 1
        followers[followee] = followers.get(followee, 0) + 1
    assert followees[300] == 40  # the heavy reader, reader1000
    assert 15 <= statistics.median(followees.values()) <= 35  # the stars add about one each to ~20 drawn
    assert max(followees.values()) <= 300 // 5 + 2
    for star in (1, 2):
        assert 0.4 * 300 <= followers[star] <= 0.6 * 300


def test_the_sizes_built_are_recorded_for_the_runner(db):
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection  # psycopg, as bench.run reads it
    assert build.stored_parameters(raw) is None
    recorded = build.parameters("small", 5, users=100)
    with connection.cursor() as cursor:
        build.record(cursor.cursor, recorded)
        build.record(cursor.cursor, {**recorded, "seed": 6})  # a rebuild replaces the record
    assert build.stored_parameters(raw) == {**recorded, "seed": 6}
    assert recorded["users"] == 100 and recorded["preset"] == "small" and recorded["data_version"] == build.DATA_VERSION


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tiny_build_loads_into_the_current_schema():
    """The builder COPYs rows with named columns: a new NOT NULL column the app fills from Python
    (not from a database default) breaks it, as the content-warning and poll columns once did."""
    from accounts.models import User
    from tweets.models import Tweet

    build.build("small", 5, users=60, tweets=600)
    assert User.objects.count() == 60
    assert Tweet.objects.count() == 600
    assert not Tweet.objects.filter(sensitive=True).exists() and not User.objects.filter(show_sensitive_media=True)
