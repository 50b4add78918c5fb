# The index behind "Show this thread" (tweets.selectors._self_thread_flag): built concurrently, so a
# site with many posts keeps taking them while it builds.

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tweets", "0015_edit_media_and_poll"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="tweet",
            index=models.Index(fields=["reply_to", "author"], name="tweet_self_replies"),
        ),
    ]
