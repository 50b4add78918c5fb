"""Takes over its tables from the old `social` app: state only, the tables (named social_*) stay as they are."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ["report", "moderationaction"]


def adopt_content_types(apps, schema_editor):
    # Keeps permissions (the Moderators group's), admin log entries and anything else pointing at them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="social", model__in=MODELS).update(app_label="moderation")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="moderation", model__in=MODELS).update(app_label="social")


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
                    name="Report",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "target_type",
                            models.CharField(
                                choices=[("tweet", "Post"), ("user", "Account"), ("message", "Message")], max_length=10
                            ),
                        ),
                        ("target_id", models.BigIntegerField()),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("spam", "Spam"),
                                    ("abuse", "Abuse or harassment"),
                                    ("hate", "Hateful conduct"),
                                    ("violence", "Violence or threats"),
                                    ("self_harm", "Suicide or self-harm"),
                                    ("sensitive", "Sensitive or graphic media"),
                                    ("private_info", "Private information"),
                                    ("impersonation", "Impersonation"),
                                    ("other", "Something else"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("text", models.TextField(blank=True, max_length=1000, verbose_name="details")),
                        (
                            "snapshot",
                            models.TextField(
                                blank=True, help_text="What the reported content said when it was reported."
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("resolved", "Resolved"), ("dismissed", "Dismissed")],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("handled_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "handled_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "target_user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_report",
                    },
                ),
                migrations.CreateModel(
                    name="ModerationAction",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("suspend", "Suspended the account"),
                                    ("unsuspend", "Lifted the suspension"),
                                    ("remove_tweet", "Removed a post"),
                                    ("dismiss", "Dismissed a report"),
                                    ("resolve", "Resolved a report"),
                                    ("edit_user", "Edited the account"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("tweet_id", models.BigIntegerField(blank=True, null=True)),
                        ("reason", models.TextField(blank=True)),
                        ("snapshot", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "moderator",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "target_user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="actions",
                                to="moderation.report",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_moderationaction",
                    },
                ),
                migrations.AddIndex(
                    model_name="report",
                    index=models.Index(fields=["status", "-created_at"], name="report_queue"),
                ),
                migrations.AddIndex(
                    model_name="report",
                    index=models.Index(fields=["target_user", "-created_at"], name="report_target_user"),
                ),
                migrations.AddConstraint(
                    model_name="report",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("reporter", "target_type", "target_id"),
                        name="one_open_report_per_target",
                    ),
                ),
                migrations.AddIndex(
                    model_name="moderationaction",
                    index=models.Index(fields=["-created_at"], name="moderation_log"),
                ),
                migrations.AddIndex(
                    model_name="moderationaction",
                    index=models.Index(fields=["target_user", "-created_at"], name="moderation_log_user"),
                ),
            ],
            database_operations=[migrations.RunPython(adopt_content_types, return_content_types)],
        ),
    ]
