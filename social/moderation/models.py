from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Report(models.Model):
    """Someone flags a post, an account or a message for the moderators."""

    class Target(models.TextChoices):
        TWEET = "tweet", pgettext_lazy("reported thing", "Post")
        USER = "user", pgettext_lazy("reported thing", "Account")
        MESSAGE = "message", pgettext_lazy("reported thing", "Message")

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        HATE = "hate", _("Hateful conduct")
        VIOLENCE = "violence", _("Violence or threats")
        SELF_HARM = "self_harm", _("Suicide or self-harm")
        SENSITIVE = "sensitive", _("Sensitive or graphic media")
        PRIVATE_INFO = "private_info", _("Private information")
        IMPERSONATION = "impersonation", _("Impersonation")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()  # a tweet, user or message id; the row may be gone by review time
    # Whose content it is: the moderators act on this account (suspend), and filter by it.
    target_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), max_length=1000, blank=True)
    snapshot = models.TextField(blank=True, help_text=_("What the reported content said when it was reported."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "social_report"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_queue"),
            models.Index(fields=["target_user", "-created_at"], name="report_target_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="one_open_report_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk}: {self.get_target_type_display().lower()} {self.target_id}"


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, never edited."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("Suspended the account")
        UNSUSPEND = "unsuspend", _("Lifted the suspension")
        REMOVE_TWEET = "remove_tweet", _("Removed a post")
        DISMISS = "dismiss", _("Dismissed a report")
        RESOLVE = "resolve", _("Resolved a report")
        EDIT_USER = "edit_user", _("Edited the account")

    moderator = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tweet_id = models.BigIntegerField(null=True, blank=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    reason = models.TextField(blank=True)
    snapshot = models.TextField(blank=True)  # the removed post's text, so the record outlives it
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "social_moderationaction"
        indexes = [
            models.Index(fields=["-created_at"], name="moderation_log"),
            models.Index(fields=["target_user", "-created_at"], name="moderation_log_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
