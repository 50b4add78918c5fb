"""Exporting one's data: a pending `AccountExport`, a task (`export_build`) that writes the zip
into private storage and tells its owner, downloads for the owner only, and a purge of expired ones.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.models import AccountExport, User
from accounts.serializers import user_json
from config.kernel.storage import private_storage
from config.kernel.tasks import after_commit, enqueue_on_commit

logger = logging.getLogger(__name__)

Status = AccountExport.Status
EXPORT_TTL = timedelta(days=7)  # how long a ready export can be downloaded
EXPORT_STALE = timedelta(hours=1)  # a pending export older than this was lost (its task never ran)


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
    enqueue_on_commit("accounts.tasks.build_account_export", export.pk, site_url)
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
        hooks.export_ready(user=user)
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
    with translation.override(user.language or settings.LANGUAGE_CODE):  # the reader's language, not the worker's
        until = formats.date_format(export.expires_at.astimezone(UTC), _("F j, Y \\a\\t H:i"))
        body = _(
            "Hi %(name)s,\n\n"
            "The copy of your Chirp data that you asked for is ready. Download it, signed in as "
            "@%(username)s, until %(until)s UTC:\n\n"
            "%(url)s\n\n"
            "It is a zip of your profile, posts, likes, follows, messages and images.\n"
            "If you didn't ask for it, change your password: someone else may be using your account.\n"
        ) % {"name": user.display_name, "username": user.username, "until": until, "url": f"{base}{path}"}
        subject = _("Your Chirp data is ready to download")
    try:
        send_mail(subject, body, None, [user.email])
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
bookmarks.json  the posts you bookmarked, oldest first (the same way)
drafts.json     your drafts and scheduled posts not yet published, with their images
following.json  the accounts you follow
followers.json  the accounts that follow you
muted_words.json  your muted words, phrases and hashtags
messages.json   your conversations, with the messages in them that you can see
lists.json      your lists, with their members
media/          your images: media/profile (avatar, header), media/tweets
                (<post id>-<n>), media/drafts (<draft id>-<n>) and media/messages
                (<message id>); the JSON files name them in their "file" fields

Ids are strings and times are UTC (ISO 8601). Images other people sent you
are described in messages.json but not included.

Keep this file safe: it holds your private messages.
"""


class ExportFiles:
    """The media to copy into the zip: (storage, stored name, name in the zip). Receivers call `add`."""

    def __init__(self):
        self.items: list[tuple[Any, str, str]] = []

    def add(self, storage, stored: str, folder: str, stem: str) -> str | None:
        if not stored or not storage.exists(stored):
            return None
        extension = stored.rsplit(".", 1)[-1].lower() if "." in stored.rsplit("/", 1)[-1] else "bin"
        arcname = f"media/{folder}/{stem}.{extension}"
        self.items.append((storage, stored, arcname))
        return arcname


PUBLIC_FIELDS = ("id", "username", "bio", "location", "website", "isPrivate", "createdAt", "followersCount",
                 "followingCount")  # fmt: skip


def export_profile(user: User, files: ExportFiles) -> dict:
    """The public profile as the API writes it, with what only its owner sees; file names for the pictures."""
    public = user_json(user, None)
    avatar_storage = User._meta.get_field("avatar").storage
    return {
        **{key: public[key] for key in PUBLIC_FIELDS},
        "name": user.name,  # as typed, not display_name's fallback to the username
        "email": user.email,
        "whoCanMessage": user.who_can_message,
        "avatar": files.add(avatar_storage, user.avatar.name, "profile", "avatar") if user.avatar else None,
        "header": files.add(avatar_storage, user.header.name, "profile", "header") if user.header else None,
    }


def export_documents(user: User) -> tuple[dict[str, Any], list[tuple[Any, str, str]]]:
    """The JSON documents by file name, and the media files to copy."""
    files = ExportFiles()
    documents: dict[str, Any] = {"profile.json": export_profile(user, files)}
    for pairs in hooks.export_user(user=user, files=files):  # in the order config/wiring.py gives
        for name, document in pairs:
            if isinstance(documents.get(name), dict):
                documents[name] |= document  # more fields for a file another app began
            else:
                documents[name] = document
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
