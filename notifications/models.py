from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Verb(models.TextChoices):
        FOLLOW = "follow", _("followed you")
        FOLLOW_REQUEST = "follow_request", _("asked to follow you")
        FOLLOW_ACCEPTED = "follow_accepted", _("accepted your follow request")
        LIKE = "like", _("liked your post")
        RETWEET = "retweet", _("retweeted your post")
        QUOTE = "quote", _("quoted your post")
        REPLY = "reply", _("replied to your post")
        MENTION = "mention", _("mentioned you")
        MESSAGE = "message", _("sent you a message")
        # About the recipient's own request, so the recipient is also the actor (notify_export_ready).
        EXPORT_READY = "export_ready", _("your data export is ready")
        POST_REMOVED = "post_removed", _("the moderators removed a post of yours")
        # To the poll's author (their own actor) and to each voter (the author is the actor).
        POLL_ENDED = "poll_ended", _("a poll has ended")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    # The post it is about (the like's target, the reply itself...); deleting it withdraws this.
    tweet = models.ForeignKey("tweets.Tweet", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One notification per action: a repeated like or a re-sent mention finds the first.
            models.UniqueConstraint(
                fields=["recipient", "actor", "verb", "tweet"], condition=Q(tweet__isnull=False), name="notify_once"
            ),
            models.UniqueConstraint(
                fields=["recipient", "actor", "verb"], condition=Q(tweet__isnull=True), name="notify_once_no_tweet"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
            models.Index(
                fields=["recipient", "-id"], name="notification_mentions", condition=Q(verb__in=["mention", "reply"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} -> {self.recipient_id}"


class ConversationMute(models.Model):
    """The user hears nothing more from one thread (replies, likes, retweets, quotes, mentions in it).

    `conversation_id` is the root post's id, kept as a plain number: a thread outlives its
    deleted root (replies keep its id), and the mute must keep holding for it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_mutes", db_index=False
    )
    conversation_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Led by the user: "has this recipient muted this thread" and a page's flags are both lookups on it.
        constraints = [models.UniqueConstraint(fields=["user", "conversation_id"], name="conversation_mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} muted {self.conversation_id}"


class EmailState(models.Model):
    """Where one person's mail of one kind stands (notifications/mail): kept in PostgreSQL so the
    windows and digests survive a Redis restart, and locked per row so two workers never both send.

    `kind`: a notification type (its immediate mail), or "hourly", "daily", "weekly" (the digests).
    `mailed_until`: the watermark, the newest notification's `created_at` already mailed (or seen
    in the site); only what came after goes into the next mail. By time, not id: a direct message
    brings its one row per sender back to the top, unread, under the same id.
    `follow_up_at`: when the window closes and what arrived inside it goes out in one mail.
    `due_at`: a digest's next look (an hour, a day or a week after the last, mail or not).
    `failures`: tries the mail server refused in a row; the next is at `follow_up_at` (a type's
    mail) or `due_at` (a digest), further off each time, until EMAIL_SEND_RETRIES is spent.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    mailed_until = models.DateTimeField(null=True, blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_state_once")]
        indexes = [
            models.Index(fields=["follow_up_at"], name="email_follow_up_due", condition=Q(follow_up_at__isnull=False))
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} mailed {self.last_sent_at}"


class PushSubscription(models.Model):
    """One browser that asked for Web Push for its person (notifications/webpush).

    `endpoint` is the push service's URL for that browser: unique, since a
    browser that subscribes again (or another person signing in on it) takes
    the row over. `p256dh` and `auth` are the browser's keys (base64url) that
    each payload is encrypted for.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2048, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} push {self.endpoint[:60]}"
