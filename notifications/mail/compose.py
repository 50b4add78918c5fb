"""Subject, plain text and HTML of each mail, from templates/email/ (inline CSS: mail clients drop stylesheets)."""

from __future__ import annotations

import email.policy
import functools
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications import preferences
from notifications.mail import kinds
from notifications.mail.content import Batch, Post, absolute
from notifications.mail.unsubscribe import token_for

SUBJECT_MAX = 120
LINE_MAX = 998  # RFC 5322's hard limit for a line
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """A header's text: no line breaks or other control characters (display names may hold any), bounded."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Mail(EmailMultiAlternatives):
    """Headers left unfolded (up to RFC 5322's 998 characters): Python's folder turns a word longer than a
    line, as a List-Unsubscribe URL is, into RFC 2047 encoded words, which mail clients don't take for a URL."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=LINE_MAX))


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("email-unsubscribe", args=[token_for(user_id, kind)]))


def message(*, user, kind: str, to: str, subject: str, template: str, context: dict) -> Mail:
    unsubscribe = unsubscribe_url(user.pk, kind)
    context = {
        **context,
        "user": user,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_url": absolute("/settings/notifications"),
        "unsubscribe_url": unsubscribe,
        "reason": kinds.reason(preferences.of(user), kind),
        "stops": kinds.describe(kind),
        "subject": subject,
    }
    mail = Mail(
        subject=one_line(subject),
        body=render_to_string(f"email/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # no vacation replies
        },
    )
    mail.attach_alternative(render_to_string(f"email/{template}.html", context), "text/html")
    return mail


def in_their_language(build):
    """Build the mail in the recipient's language (blank: the site's): no request is there to say one."""

    @functools.wraps(build)
    def in_language(*, user, **kwargs):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            return build(user=user, **kwargs)

    return in_language


@in_their_language
def notifications_mail(*, user, kind: str, to: str, batch: Batch) -> Mail:
    """A type's own mail (`kind` a type) or a digest (`kind` "hourly" or "daily")."""
    if kind == "hourly":
        subject = ngettext(
            "Your hourly Chirp digest: %(count)s new notification",
            "Your hourly Chirp digest: %(count)s new notifications",
            batch.count,
        ) % {"count": batch.count}
        heading = _("Your hourly digest")
    elif kind == "daily":
        subject = ngettext(
            "Your daily Chirp digest: %(count)s new notification",
            "Your daily Chirp digest: %(count)s new notifications",
            batch.count,
        ) % {"count": batch.count}
        heading = _("Your daily digest")
    elif batch.count == 1 and batch.lines:
        line = batch.lines[0]
        subject = heading = f"{line.who} {line.what}".strip()
    else:
        subject = heading = kinds.counted(kind, batch.count).capitalize()
    context = {"batch": batch, "heading": one_line(heading), "notifications_url": absolute(reverse("notifications"))}
    return message(user=user, kind=kind, to=to, subject=subject, template="notifications", context=context)


@in_their_language
def weekly_mail(*, user, to: str, posts: list[Post]) -> Mail:
    context = {"posts": posts, "heading": _("What you missed this week"), "home_url": absolute(reverse("home"))}
    subject = _("What you missed on Chirp this week")
    return message(user=user, kind=kinds.WEEKLY, to=to, subject=subject, template="weekly", context=context)
