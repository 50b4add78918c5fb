import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from accounts.validators import USERNAME_HELP, validate_username
from config.kernel import images
from config.kernel.ids import new_id
from config.kernel.media import ProcessedImage, Rendered
from config.kernel.sql import select_rows
from config.kernel.storage import private_storage


def _image_path(kind: str, user_id, filename: str) -> str:
    # Random names: replacing an image must not leave the old URL guessable.
    return f"{kind}/{user_id}/{uuid.uuid4().hex}.webp"


def avatar_path(instance, filename: str) -> str:
    return _image_path("avatars", instance.pk, filename)


def header_path(instance, filename: str) -> str:
    return _image_path("headers", instance.pk, filename)


def profile_image_path(instance, filename: str) -> str:
    return _image_path(f"{instance.kind}s", instance.owner_id, filename)


class ChirpUserManager(UserManager):
    def get(self, *args, **kwargs):
        """`User.objects.get(pk=…)` in SQL written once, other lookups as Django's.

        Every signed-in page loads its reader that way (ModelBackend.get_user), and
        building and compiling the query cost 0.4 ms of CPU a page, three times
        running it (docs/PERFORMANCE.md, "Timestamps, the reader's row, ..."). Managers made from
        this class for relations (`tweet.mentions`) add their own filters, so
        they, and a manager for another database, take Django's way.
        """
        if type(self) is not ChirpUserManager or self._db or args or kwargs.keys() != {"pk"}:
            return super().get(*args, **kwargs)
        pk_field = self.model._meta.pk
        found = select_rows(self.model, **{pk_field.attname: pk_field.get_prep_value(kwargs["pk"])})
        if not found:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return found[0]

    def get_by_natural_key(self, username):
        # Log-in and lookups treat "Alice" and "alice" as the same account.
        return self.get(username__iexact=username)


class User(AbstractUser):
    class WhoCanMessage(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        FOLLOWING = "following", _("Only people I follow")

    username = models.CharField(
        max_length=15,
        unique=True,
        validators=[validate_username],
        help_text=USERNAME_HELP,
        error_messages={"unique": _("That username is taken.")},
    )
    email = models.EmailField(blank=True)
    name = models.CharField(_("display name"), max_length=50, blank=True)
    bio = models.CharField(max_length=160, blank=True)
    location = models.CharField(max_length=30, blank=True)
    website = models.URLField(max_length=100, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    header = models.ImageField(upload_to=header_path, blank=True)
    is_private = models.BooleanField(
        _("private account"),
        default=False,
        help_text=_("Only approved followers see a private account's posts."),
    )
    who_can_message = models.CharField(max_length=10, choices=WhoCanMessage.choices, default=WhoCanMessage.EVERYONE)
    # Kept by social.graph.services in the same transaction as the follow; reconciled hourly.
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    # Kept by a trigger on tweets_tweet (tweets migration 0013), so every insert and delete counts:
    # services, cascades and bulk loads alike. Mastodon's Account shows both on every post.
    statuses_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    last_status_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last home-timeline visit (to the hour): fan-out skips people away for weeks.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Notification types switched off, by verb ("like": false); everything else is on.
    notification_prefs = models.JSONField(default=dict, blank=True)
    # Set by a moderator; a suspended account is also inactive, which is what hides it everywhere.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)
    # The post shown first on the profile (tweets.services.tweet_pin); a string reference, so
    # accounts imports nothing from tweets. Deleting the post clears it (Django's SET_NULL, served by the index below).
    pinned_tweet = models.ForeignKey(
        "tweets.Tweet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # Reading preferences (Settings > Display).
    show_sensitive_media = models.BooleanField(_("always show sensitive media"), default=False)
    expand_content_warnings = models.BooleanField(_("always expand content warnings"), default=False)
    # Muted videos and GIFs play by themselves while in view (never with sound); off: nothing moves.
    autoplay_videos = models.BooleanField(_("autoplay videos and GIFs"), default=True, db_default=True)
    # Dates shown in this zone (an IANA name); blank: the browser's (config/kernel/timezones.py).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="", db_default="")
    # Pages in this language (settings.LANGUAGES); blank: the browser's (config/kernel/languages.py).
    language = models.CharField(_("language"), max_length=16, blank=True, default="", db_default="")
    # Whether any muted words are kept (social/graph/muted_words.py): read with the user on every
    # request, so the many who mute nothing never look their words up.
    mutes_words = models.BooleanField(default=False, db_default=False, editable=False)

    objects = ChirpUserManager()

    class Meta:
        indexes = [
            models.Index(fields=["-followers_count"], name="user_popular"),  # who-to-follow fallback
            # What deleting a post looks up (the foreign key's ON DELETE): few rows, so partial.
            models.Index(
                fields=["pinned_tweet"], name="user_pinned_tweet", condition=models.Q(pinned_tweet__isnull=False)
            ),
            # Who chose an email digest (`notification_prefs @> ...`, notifications/mail): asked every minute.
            GinIndex(fields=["notification_prefs"], opclasses=["jsonb_path_ops"], name="user_notification_prefs"),
        ]
        constraints = [
            # Serves both uniqueness regardless of case and `username__iexact` lookups.
            models.UniqueConstraint(Upper("username"), name="user_username_upper_unique"),
            models.UniqueConstraint(Upper("email"), name="user_email_upper_unique", condition=~models.Q(email="")),
        ]

    def __str__(self) -> str:
        return f"@{self.username}"

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def created_at(self):
        return self.date_joined


def export_path(instance, filename: str) -> str:
    # One name per export, so a task run twice overwrites its own file rather than leaving a second.
    return f"exports/{instance.user_id}/{instance.pk}.zip"


class AccountExport(models.Model):
    """A zip of someone's data, built by a task, kept privately for its owner for EXPORT_TTL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="exports", db_index=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="account_export_user"),
            models.Index(fields=["expires_at"], name="account_export_expiry"),
        ]
        constraints = [
            # At most one being built per person: asking again while it runs finds that one.
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"), name="one_pending_export")
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and self.expires_at is not None and self.expires_at > timezone.now()


class ProfileImage(ProcessedImage):
    """A new avatar or header while it is processed (config/kernel/media.py).

    Once ready, its file becomes the User's `avatar` or `header`, which every
    page and the API read, and the row goes (accounts.services.profile_update).
    """

    class Kind(models.TextChoices):
        AVATAR = "avatar", _("Avatar")
        HEADER = "header", _("Header")

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    file = models.ImageField(upload_to=profile_image_path, blank=True)  # empty until processed
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def render(self, source) -> Rendered:
        """One frame, centre-cropped: a square avatar, or a header in the HEADER_SIZE aspect ratio."""
        if self.kind == self.Kind.AVATAR:
            content, width, height = images.square_webp(source, settings.AVATAR_SIZE)
        else:
            content, width, height = images.cover_webp(source, settings.HEADER_SIZE)
        return Rendered(content, "WEBP", width, height)


class SecurityEvent(models.Model):
    """A line of someone's security log (Settings > Security): what happened to their account, when, from where."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_PASSKEY = "login_passkey", _("Logged in with a passkey")
        MFA_FAILED = "mfa_failed", _("Wrong two-factor code")
        TOTP_ON = "totp_on", _("Authenticator app turned on")
        TOTP_OFF = "totp_off", _("Authenticator app turned off")
        RECOVERY_CODES = "recovery_codes", _("New recovery codes made")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        PASSKEY_ADDED = "passkey_added", _("Passkey added")
        PASSKEY_REMOVED = "passkey_removed", _("Passkey removed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset by email")
        SESSIONS_ENDED = "sessions_ended", _("Logged out other sessions")
        APP_APPROVED = "app_approved", _("App approved")  # the OAuth half of issue 21 records these

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)  # e.g. the passkey's name
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-id"], name="security_event_user")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser session of someone's, so they can see and end it (Django's sessions aren't by user).

    The row follows its session's key (a password change moves it) and is
    touched at most every SESSION_TOUCH_SECONDS (accounts/middleware.py).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="user_session_user")]

    def __str__(self) -> str:
        return f"session of {self.user_id} from {self.ip}"


class KnownBrowser(models.Model):
    """A browser someone has logged in from before: a login from any other is emailed about."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    fingerprint = models.CharField(max_length=64)  # sha256 of the browser's family and its long-lived cookie id
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "fingerprint"], name="known_browser_unique")]

    def __str__(self) -> str:
        return f"browser {self.fingerprint[:8]} of {self.user_id}"


class DeveloperApp(models.Model):
    """What Chirp keeps about an OAuth app beyond django-oauth-toolkit's Application (accounts/oauth.py)."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="chirp", primary_key=True
    )
    website = models.URLField(max_length=300, blank=True)
    scopes = models.CharField(max_length=1000)  # space-separated, what the app may ask for
    # Which API the app's tokens get where a path exists in both (docs/DECISIONS.md "Mastodon API"):
    # apps registered through Mastodon's POST /api/v1/apps are "mastodon".
    api = models.CharField(max_length=10, choices=[("chirp", "Chirp"), ("mastodon", "Mastodon")], default="chirp")

    def __str__(self) -> str:
        return f"app {self.application_id}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()
