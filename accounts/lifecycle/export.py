"""Exporting one's data: a pending `AccountExport`, a task (`export_build`) that writes the zip
into private storage and tells its owner, downloads for the owner only, and a purge of expired ones.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountExport, User
from config.kernel.storage import private_storage
from config.kernel.tasks import after_commit, enqueue_on_commit
from notifications import services as notification_services
from notifications.models import Notification
from social.graph.models import Follow
from social.graph.visibility import RelationSet
from social.messages.models import Participant
from social.messages.selectors import ConversationView, visible_messages
from tweets.models import Like, Media, Tweet, TweetEdit
from tweets.services import _tags_of

logger = logging.getLogger(__name__)

Status = AccountExport.Status
EXPORT_TTL = timedelta(days=7)  # how long a ready export can be downloaded
EXPORT_STALE = timedelta(hours=1)  # a pending export older than this was lost (its task never ran)


def _time(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


# --- export: reads -----------------------------------------------------------------------------


def latest_export(user: User) -> AccountExport | None:
    """The newest export, whatever its state (for the settings page)."""
    return AccountExport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def ready_export(user: User) -> AccountExport | None:
    """The newest export its owner can still download."""
    return (
        AccountExport.objects.filter(user=user, status=Status.READY, expires_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
        .first()
    )


def export_for_owner(user, export_id: int) -> AccountExport | None:
    """The export, if `user` owns it and it is ready and not expired; to anyone else it doesn't exist."""
    if not getattr(user, "is_authenticated", False):
        return None
    return AccountExport.objects.filter(
        pk=export_id, user=user, status=Status.READY, expires_at__gt=timezone.now()
    ).first()


def export_filename(export: AccountExport) -> str:
    return f"chirp-{export.user.username}-{(export.ready_at or export.created_at):%Y-%m-%d}.zip"


def export_response(export: AccountExport) -> FileResponse:
    """The zip as a download that only its owner's browser may keep."""
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export_filename(export), content_type="application/zip"
    )
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- export: writes ----------------------------------------------------------------------------


@transaction.atomic
def account_export_request(*, user: User, site_url: str = "") -> tuple[AccountExport, bool]:
    """Start building an export, or find the one being built. Returns (it, started).

    `site_url` ("https://example.com/") makes the emailed link absolute.
    """
    pending = AccountExport.objects.select_for_update().filter(user=user, status=Status.PENDING).first()
    if pending is not None:
        if pending.created_at > timezone.now() - EXPORT_STALE:
            return pending, False
        pending.status = Status.FAILED  # its task was lost: let a new one start
        pending.save(update_fields=["status"])
    try:
        with transaction.atomic():
            export = AccountExport.objects.create(user=user)
    except IntegrityError:  # a second request at the same moment made it first
        return AccountExport.objects.get(user=user, status=Status.PENDING), False
    from accounts.tasks import build_account_export

    enqueue_on_commit(build_account_export, export.pk, site_url)
    return export, True


def export_build(export_id: int, *, site_url: str = "") -> bool:
    """The task's body: write the zip, mark the export ready, tell its owner. Safe to run twice."""
    export = AccountExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != Status.PENDING:
        return False  # done already, failed, or purged
    user = export.user
    if not user.is_active:
        AccountExport.objects.filter(pk=export.pk, status=Status.PENDING).update(status=Status.FAILED)
        return False
    name = ""
    try:
        with tempfile.TemporaryFile() as spool:
            write_export(user, spool)
            spool.seek(0)
            name = export.file.field.generate_filename(export, "export.zip")
            if private_storage().exists(name):
                private_storage().delete(name)  # a run that died after writing it: start clean
            name = private_storage().save(name, File(spool))
    except Exception:
        logger.exception("export %s of user %s failed", export.pk, user.pk)
        AccountExport.objects.filter(pk=export.pk, status=Status.PENDING).update(status=Status.FAILED)
        if name:
            private_storage().delete(name)
        return False
    now = timezone.now()
    with transaction.atomic():
        done = AccountExport.objects.filter(pk=export.pk, status=Status.PENDING).update(
            status=Status.READY, file=name, ready_at=now, expires_at=now + EXPORT_TTL
        )
        if not done:
            after_commit(private_storage().delete, name)
            return False
        # One copy at a time: the new one replaces any earlier export.
        earlier = list(AccountExport.objects.filter(user=user).exclude(pk=export.pk))
        AccountExport.objects.filter(pk__in=[e.pk for e in earlier]).delete()
        after_commit(delete_export_files, earlier)
        notification_services.notify_export_ready(user)
        export.refresh_from_db()
        after_commit(_email_export_ready, export, site_url)
    return True


def delete_export_files(exports: Iterable[AccountExport]) -> None:
    for export in exports:
        if export.file:
            export.file.delete(save=False)


def _email_export_ready(export: AccountExport, site_url: str) -> None:
    user = export.user
    if not user.email:
        return
    path = reverse("account-export-download", args=[export.pk])
    base = (site_url or getattr(settings, "SITE_URL", "")).rstrip("/")
    body = (
        f"Hi {user.display_name},\n\n"
        "The copy of your Chirp data that you asked for is ready. Download it, signed in as "
        f"@{user.username}, until {export.expires_at:%B %-d, %Y at %H:%M} UTC:\n\n"
        f"{base}{path}\n\n"
        "It is a zip of your profile, posts, likes, follows, messages and images.\n"
        "If you didn't ask for it, change your password: someone else may be using your account.\n"
    )
    try:
        send_mail("Your Chirp data is ready to download", body, None, [user.email])
    except Exception:  # the export is ready either way, and the notification says so
        logger.warning("could not email export %s to user %s", export.pk, user.pk, exc_info=True)


def exports_purge(*, now=None) -> int:
    """Remove expired exports, and failed or lost ones older than EXPORT_TTL, files first."""
    now = now or timezone.now()
    stale = AccountExport.objects.filter(
        Q(expires_at__lt=now) | Q(status__in=[Status.PENDING, Status.FAILED], created_at__lt=now - EXPORT_TTL)
    )
    purged = 0
    for export in stale.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        purged += 1
    return purged


# --- export: the zip ---------------------------------------------------------------------------

README = """\
Your Chirp data
===============

@{username}, exported on {date} UTC.

README.txt      this file
profile.json    your profile and settings
tweets.json     your posts, replies, quotes and retweets, oldest first, with their
                images and, for edited posts, the earlier versions ("edits")
likes.json      the posts you liked, oldest first (author and text while you can
                still see the post)
following.json  the accounts you follow
followers.json  the accounts that follow you
messages.json   your conversations, with the messages in them that you can see
media/          your images: media/profile (avatar, header), media/tweets
                (<post id>-<n>) and media/messages (<message id>); the JSON
                files name them in their "file" fields

Ids are strings and times are UTC (ISO 8601). Images other people sent you
are described in messages.json but not included.

Keep this file safe: it holds your private messages.
"""


class _Files:
    """The media to copy into the zip: (storage, stored name, name in the zip)."""

    def __init__(self):
        self.items: list[tuple[Any, str, str]] = []

    def add(self, storage, stored: str, folder: str, stem: str) -> str | None:
        if not stored or not storage.exists(stored):
            return None
        extension = stored.rsplit(".", 1)[-1].lower() if "." in stored.rsplit("/", 1)[-1] else "bin"
        arcname = f"media/{folder}/{stem}.{extension}"
        self.items.append((storage, stored, arcname))
        return arcname


def _profile(user: User, files: _Files) -> dict:
    avatar_storage = User._meta.get_field("avatar").storage
    return {
        "id": str(user.pk),
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "bio": user.bio,
        "location": user.location,
        "website": user.website,
        "isPrivate": user.is_private,
        "whoCanMessage": user.who_can_message,
        "notificationPrefs": {verb: notification_services.wants(user, verb) for verb in Notification.Verb.values},
        "createdAt": _time(user.date_joined),
        "followersCount": user.followers_count,
        "followingCount": user.following_count,
        "avatar": files.add(avatar_storage, user.avatar.name, "profile", "avatar") if user.avatar else None,
        "header": files.add(avatar_storage, user.header.name, "profile", "header") if user.header else None,
    }


def _tweets(user: User, files: _Files) -> list[dict]:
    rows = (
        Tweet.objects.filter(author=user)
        .order_by("id")
        .prefetch_related(
            Prefetch("media", queryset=Media.objects.order_by("position")),
            Prefetch("edits", queryset=TweetEdit.objects.order_by("replaced_at")),
        )
    )
    found = []
    for tweet in rows.iterator(chunk_size=500):
        media = [
            {
                "file": files.add(item.file.storage, item.file.name, "tweets", f"{tweet.pk}-{number}"),
                "type": item.kind,
                "altText": item.alt_text,
                "width": item.width,
                "height": item.height,
            }
            for number, item in enumerate(tweet.media.all(), start=1)
            if item.is_ready  # one still processing (or failed) has no file yet
        ]
        found.append(
            {
                "id": str(tweet.pk),
                "createdAt": _time(tweet.created_at),
                "text": tweet.text,
                "editedAt": _time(tweet.edited_at),
                "replyToTweetId": str(tweet.reply_to_id) if tweet.reply_to_id else None,
                "quoteTweetId": str(tweet.quote_of_id) if tweet.quote_of_id else None,
                "retweetOfTweetId": str(tweet.retweet_of_id) if tweet.retweet_of_id else None,
                "hashtags": _tags_of(tweet.entities),
                "mentions": [e["username"] for e in tweet.entities if e["type"] == "mention"],
                "likeCount": tweet.like_count,
                "retweetCount": tweet.retweet_count,
                "replyCount": tweet.reply_count,
                "quoteCount": tweet.quote_count,
                "media": media,
                "edits": [
                    {"text": edit.text, "writtenAt": _time(edit.written_at), "replacedAt": _time(edit.replaced_at)}
                    for edit in tweet.edits.all()
                ],
            }
        )
    return found


def _likes(user: User) -> list[dict]:
    likes = list(Like.objects.filter(user=user).select_related("tweet__author").order_by("id"))
    relations = RelationSet.for_viewer(user, {like.tweet.author_id for like in likes})
    found = []
    for like in likes:
        visible = relations.can_see(like.tweet)
        found.append(
            {
                "tweetId": str(like.tweet_id),
                "likedAt": _time(like.created_at),
                "author": like.tweet.author.username if visible else None,
                "text": like.tweet.text if visible else None,
            }
        )
    return found


def _people(follows, side: str) -> list[dict]:
    return [
        {
            "id": str(person.pk),
            "username": person.username,
            "name": person.name,
            "followedAt": _time(follow.created_at),
        }
        for follow in follows.select_related(side).order_by("id")
        for person in [getattr(follow, side)]
    ]


def _conversations(user: User, files: _Files) -> list[dict]:
    mine = list(
        Participant.objects.filter(user=user).select_related("conversation", "user").order_by("conversation_id")
    )
    members: dict[int, list[Participant]] = defaultdict(list)
    for member in (
        Participant.objects.filter(conversation_id__in=[m.conversation_id for m in mine])
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        members[member.conversation_id].append(member)
    found = []
    for member in mine:
        view = ConversationView(member=member, members=members[member.conversation_id])
        messages = []
        for message in visible_messages(member).order_by("id").iterator(chunk_size=500):
            media = None
            if message.image_id:
                image = message.image
                own = image.owner_id == user.pk
                media = {
                    "file": files.add(image.file.storage, image.file.name, "messages", str(message.pk))
                    if own and image.is_ready
                    else None,
                    "altText": image.alt_text,
                }
            messages.append(
                {
                    "id": str(message.pk),
                    "sender": {"id": str(message.sender_id), "username": message.sender.username},
                    "text": message.text,
                    "createdAt": _time(message.created_at),
                    "media": media,
                }
            )
        found.append(
            {
                "id": str(member.conversation_id),
                "isGroup": view.conversation.is_group,
                "name": view.name,
                "participants": [
                    {"id": str(m.user_id), "username": m.user.username, "name": m.user.name}
                    for m in sorted(view.visible_members, key=lambda m: m.user_id)
                ],
                "messages": messages,
            }
        )
    return found


def export_documents(user: User) -> tuple[dict[str, Any], list[tuple[Any, str, str]]]:
    """The JSON documents by file name, and the media files to copy."""
    files = _Files()
    documents = {
        "profile.json": _profile(user, files),
        "tweets.json": _tweets(user, files),
        "likes.json": _likes(user),
        "following.json": _people(Follow.objects.filter(follower=user, followee__is_active=True), "followee"),
        "followers.json": _people(Follow.objects.filter(followee=user, follower__is_active=True), "follower"),
        "messages.json": _conversations(user, files),
    }
    return documents, files.items


def write_export(user: User, out) -> None:
    """Write the zip to the binary file `out`: README.txt, the JSON documents, then the media."""
    documents, media = export_documents(user)
    now = timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(username=user.username, date=f"{now:%Y-%m-%d %H:%M}"))
        for name, document in documents.items():
            archive.writestr(name, json.dumps(document, ensure_ascii=False, indent=2))
        for storage, stored, arcname in media:
            # Images are compressed already: stored as they are.
            info = zipfile.ZipInfo(arcname, date_time=now.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            try:
                with storage.open(stored, "rb") as source, archive.open(info, "w") as target:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        target.write(chunk)
            except OSError:
                logger.warning("export of user %s: %s is missing", user.pk, stored, exc_info=True)
