"""Takes over its tables from the old `social` app: state only, the tables (named social_*) stay as they are."""

import config.kernel.ids
import config.kernel.media
import config.kernel.storage
import django.db.models.deletion
import django.utils.timezone
import social.messages.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["conversation", "participant", "messageimage", "message", "hiddenmessage"]


def adopt_content_types(apps, schema_editor):
    # Keeps permissions (the Moderators group's), admin log entries and anything else pointing at them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="social", model__in=MODELS).update(app_label="direct_messages")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="direct_messages", model__in=MODELS).update(app_label="social")


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
                    name="Conversation",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                default=config.kernel.ids.new_id, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("is_group", models.BooleanField(default=False)),
                        ("title", models.CharField(blank=True, max_length=80)),
                        (
                            "pair_key",
                            models.CharField(blank=True, editable=False, max_length=41, null=True, unique=True),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
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
                        "db_table": "social_conversation",
                    },
                ),
                migrations.CreateModel(
                    name="MessageImage",
                    fields=[
                        (
                            "state",
                            models.CharField(
                                choices=[("processing", "Processing"), ("ready", "Ready"), ("failed", "Failed")],
                                default="ready",
                                max_length=10,
                            ),
                        ),
                        (
                            "original",
                            models.FileField(
                                blank=True,
                                storage=config.kernel.storage.private_storage,
                                upload_to=config.kernel.media.original_path,
                            ),
                        ),
                        ("failure", models.CharField(blank=True, max_length=200)),
                        ("content_type", models.CharField(max_length=20)),
                        ("size", models.PositiveIntegerField()),
                        ("width", models.PositiveIntegerField()),
                        ("height", models.PositiveIntegerField()),
                        ("thumb_width", models.PositiveIntegerField(blank=True, null=True)),
                        ("thumb_height", models.PositiveIntegerField(blank=True, null=True)),
                        ("alt_text", models.CharField(blank=True, max_length=1000)),
                        (
                            "id",
                            models.BigIntegerField(
                                default=config.kernel.ids.new_id, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                blank=True,
                                storage=config.kernel.storage.private_storage,
                                upload_to=social.messages.models.message_image_path,
                            ),
                        ),
                        (
                            "thumbnail",
                            models.FileField(
                                blank=True,
                                storage=config.kernel.storage.private_storage,
                                upload_to=social.messages.models.message_thumbnail_path,
                            ),
                        ),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_messageimage",
                    },
                ),
                migrations.CreateModel(
                    name="Message",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                default=config.kernel.ids.new_id, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("text", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "conversation",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="messages",
                                to="direct_messages.conversation",
                            ),
                        ),
                        (
                            "sender",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "image",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="message",
                                to="direct_messages.messageimage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_message",
                    },
                ),
                migrations.CreateModel(
                    name="Participant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("joined_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_read_id", models.BigIntegerField(default=0)),
                        ("history_from_id", models.BigIntegerField(default=0)),
                        ("last_activity_id", models.BigIntegerField(blank=True, null=True)),
                        (
                            "conversation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="direct_messages.conversation",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_participant",
                    },
                ),
                migrations.AddField(
                    model_name="conversation",
                    name="participants",
                    field=models.ManyToManyField(
                        related_name="conversations", through="direct_messages.Participant", to=settings.AUTH_USER_MODEL
                    ),
                ),
                migrations.CreateModel(
                    name="HiddenMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "message",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="direct_messages.message",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "social_hiddenmessage",
                        "constraints": [models.UniqueConstraint(fields=("user", "message"), name="hide_message_once")],
                    },
                ),
                migrations.AddIndex(
                    model_name="message",
                    index=models.Index(fields=["conversation", "-id"], name="message_history"),
                ),
                migrations.AddIndex(
                    model_name="participant",
                    index=models.Index(
                        condition=models.Q(("last_activity_id__isnull", False)),
                        fields=["user", "-last_activity_id"],
                        name="participant_inbox",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="participant",
                    constraint=models.UniqueConstraint(fields=("user", "conversation"), name="participant_once"),
                ),
                migrations.AddConstraint(
                    model_name="conversation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("is_group", True), ("pair_key__isnull", True)),
                            models.Q(("is_group", False), ("pair_key__isnull", False)),
                            _connector="OR",
                        ),
                        name="conversation_pair_key_for_one_to_one",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(adopt_content_types, return_content_types)],
        ),
    ]
