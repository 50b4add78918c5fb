"""Multiple-choice polls: `Poll.multiple`, `Poll.voters_count`, and a vote row per choice picked.

Every existing vote is a whole single-choice ballot: `ballot` defaults to true
for them, and each old poll had as many voters as votes (the backfill below).
The new unique constraints are added before the old one goes, so no moment
lacks a rule against a second ballot.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tweets", "0013_statuses_count_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="poll_multiple",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="poll",
            name="multiple",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="poll",
            name="voters_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="pollvote",
            name="ballot",
            field=models.BooleanField(default=True),
        ),
        migrations.AddConstraint(
            model_name="pollvote",
            constraint=models.UniqueConstraint(fields=("poll", "user", "choice"), name="one_vote_per_choice"),
        ),
        migrations.AddConstraint(
            model_name="pollvote",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ballot", True)), fields=("poll", "user"), name="one_ballot_per_poll"
            ),
        ),
        migrations.RunSQL(
            "UPDATE tweets_poll SET voters_count = votes_count",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveConstraint(
            model_name="pollvote",
            name="one_vote_per_poll",
        ),
    ]
