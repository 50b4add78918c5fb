"""Deleting and exporting an account reach every app that holds its data, in order, without accounts importing them."""

import ast
from pathlib import Path

from accounts import hooks
from notifications import account_data as notifications_data
from notifications import services as notifications
from search import account_data as search_data
from social.graph import account_data as graph_data
from social.messages import account_data as messages_data
from timelines import account_data as timelines_data
from tweets import account_data as tweets_data

ROOT = Path(__file__).resolve().parents[2]
HIGHER_APPS = {"tweets", "social", "timelines", "notifications", "search"}


def test_erasure_reaches_every_app_in_order():
    assert hooks.erase_user.receivers == (
        timelines_data.erase_user,  # before the follows and posts it reads go
        notifications_data.erase_user,
        tweets_data.erase_likes,
        tweets_data.erase_bookmarks,
        graph_data.erase_user,
        messages_data.erase_user,
        tweets_data.erase_posts,
    )
    assert hooks.deletion_asked.receivers == (search_data.deletion_asked,)


def test_export_reaches_every_app_in_the_zips_order():
    assert hooks.export_user.receivers == (
        notifications_data.export_user,
        tweets_data.export_user,
        graph_data.export_user,
        messages_data.export_user,
        timelines_data.export_user,
    )
    assert hooks.export_ready.receivers == (notifications.notify_export_ready,)


def test_account_lifecycle_imports_no_higher_app():
    paths = [*sorted((ROOT / "accounts" / "lifecycle").glob("*.py")), ROOT / "accounts" / "hooks.py"]
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in HIGHER_APPS]
    assert found == []
