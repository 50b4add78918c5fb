"""Takes over its tables from the old `social` app: state only, the tables (named social_*) stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["block", "follow", "followrequest", "mute"]


def adopt_content_types(apps, schema_editor):
    # Keeps permissions (the Moderators group's), admin log entries and anything else pointing at them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="social", model__in=MODELS).update(app_label="graph")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="graph", model__in=MODELS).update(app_label="social")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("social", "0008_split_into_sub_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "blocked",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks_received",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "blocker",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks_made",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_block",
                        "indexes": [
                            models.Index(fields=["blocker", "-id"], name="block_list"),
                            models.Index(fields=["blocked", "blocker"], name="block_received"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("blocker", "blocked"), name="block_once"),
                            models.CheckConstraint(
                                condition=models.Q(("blocker", models.F("blocked")), _negated=True),
                                name="block_not_self",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Follow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "followee",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follower_set",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "follower",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="following_set",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_follow",
                        "indexes": [
                            models.Index(fields=["followee", "id"], include=("follower",), name="follow_followers"),
                            models.Index(fields=["follower", "id"], include=("followee",), name="follow_following"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("follower", "followee"), name="follow_once"),
                            models.CheckConstraint(
                                condition=models.Q(("follower", models.F("followee")), _negated=True),
                                name="follow_not_self",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FollowRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "requester",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sent_follow_requests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follow_requests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_followrequest",
                        "indexes": [models.Index(fields=["target", "-id"], name="follow_request_inbox")],
                        "constraints": [
                            models.UniqueConstraint(fields=("requester", "target"), name="follow_request_once")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Mute",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "muted",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mutes_received",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "muter",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mutes_made",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_mute",
                        "indexes": [
                            models.Index(fields=["muter", "-id"], name="mute_list"),
                            models.Index(fields=["muted", "muter"], name="mute_received"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("muter", "muted"), name="mute_once"),
                            models.CheckConstraint(
                                condition=models.Q(("muter", models.F("muted")), _negated=True), name="mute_not_self"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[migrations.RunPython(adopt_content_types, return_content_types)],
        ),
    ]
