"""Hooks: fixed arguments, receivers once each and in order, errors reach the caller."""

import pytest

from accounts import hooks as accounts
from config.kernel.hooks import Hook
from notifications import receivers as notifications
from search import receivers as search
from social.graph import hooks as graph
from social.graph import receivers as graph_receivers
from social.mastodon import receivers as mastodon
from timelines import hooks as timelines_hooks
from timelines import receivers as timelines
from tweets import hooks as tweets


def test_a_hook_runs_its_receivers_in_order_once_each_and_lets_errors_through():
    calls = []
    hook = Hook("test.happened", arguments=("thing",))
    first = hook.connect(lambda thing: calls.append(("first", thing)))
    hook.connect(lambda thing: calls.append(("second", thing)))
    hook.connect(first)  # wiring twice must not run it twice
    hook(thing=1)
    assert calls == [("first", 1), ("second", 1)]

    with pytest.raises(TypeError, match="takes"):
        hook(other=1)

    def broken(thing):
        raise ValueError("no")

    hook.connect(broken)
    with pytest.raises(ValueError):
        hook(thing=2)


def test_the_wiring_connects_every_hook_in_the_order_the_writes_need():
    assert tweets.posted.receivers == (
        search.tweet_posted,
        notifications.tweet_posted,
        timelines.entry_posted,
    )
    assert timelines_hooks.delivered.receivers == (mastodon.entry_delivered,)
    assert tweets.deleted.receivers == (search.tweet_deleted, timelines.tweet_deleted, mastodon.tweet_deleted)
    assert tweets.edited.receivers == (search.tweet_edited, notifications.tweet_edited, mastodon.tweet_edited)
    assert tweets.retweeted.receivers == (notifications.retweeted, timelines.retweeted)
    assert tweets.liked.receivers == (notifications.liked,)
    assert graph.timelines_stale.receivers == (timelines.graph_changed,)
    assert graph.followed.receivers == (notifications.followed,)
    assert graph.muted_words_changed.receivers == (mastodon.muted_words_changed,)
    assert accounts.privacy_changed.receivers == (graph_receivers.privacy_changed, search.privacy_changed)
    assert accounts.credentials_changed.receivers == (notifications.credentials_changed,)


def test_every_declared_hook_has_a_receiver():
    from importlib import import_module

    for module in ("accounts.hooks", "tweets.hooks", "social.graph.hooks", "timelines.hooks"):
        for name, value in vars(import_module(module)).items():
            if isinstance(value, Hook):
                assert value.receivers, f"{module}.{name} is never connected in config/wiring.py"
