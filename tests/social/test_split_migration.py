"""The split of `social` into graph, messages and moderation keeps every row and every permission."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("social", "0007_media_processing"), ("accounts", "0008_idempotencykey_to_kernel")]
AFTER = [("graph", "0001_initial"), ("direct_messages", "0001_initial"), ("moderation", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the Moderators group for later tests
def test_rows_and_moderator_permissions_survive_the_split():

    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    ann = User.objects.create(username="ann", email="ann@example.com")
    ben = User.objects.create(username="ben", email="ben@example.com")
    old.get_model("social", "Follow").objects.create(follower=ann, followee=ben)
    report = old.get_model("social", "Report").objects.create(
        reporter=ann, target_type="user", target_id=ben.pk, target_user=ben, reason="spam"
    )
    Group = old.get_model("auth", "Group")
    moderators = Group.objects.get(name="Moderators")
    assert set(moderators.permissions.values_list("content_type__app_label", flat=True)) >= {"social"}

    new = migrate(AFTER)
    Follow = new.get_model("graph", "Follow")
    assert Follow.objects.filter(follower_id=ann.pk, followee_id=ben.pk).exists()
    assert new.get_model("moderation", "Report").objects.get(pk=report.pk).target_user_id == ben.pk
    labels = set(
        new.get_model("auth", "Group")
        .objects.get(name="Moderators")
        .permissions.values_list("content_type__app_label", "codename")
    )
    granted = {("moderation", "view_report"), ("moderation", "change_report"), ("moderation", "view_moderationaction")}
    assert granted <= labels
    assert not any(label == "social" for label, _ in labels)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
