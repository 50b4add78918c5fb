"""Deleting an account: `account_delete` checks the password and at once makes the account
inactive (gone everywhere, by the visibility module), unusable and token-less; the task
`account_erase` then removes everything, one idempotent step at a time, and the user row last.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken
from redis.exceptions import RedisError

from accounts import hooks
from accounts import services as account_services
from accounts.lifecycle.export import delete_export_files
from accounts.models import AccountExport, User
from config.kernel import ratelimit
from config.kernel.errors import Forbidden, ServiceError
from config.kernel.models import IdempotencyKey
from config.kernel.tasks import after_commit, enqueue_on_commit

logger = logging.getLogger(__name__)

PASSWORD_TRIES = ratelimit.Rate(limit=10, window=3600)  # wrong passwords per account per hour


# --- deletion --------------------------------------------------------------------------------------


def _tries_key(user: User) -> str:
    return f"account-delete:{user.pk}"


def _wait_after_wrong_passwords(user: User) -> int | None:
    """Seconds to wait when this account has used up its wrong passwords, else None (also when Redis is away)."""
    try:
        tried = ratelimit.peek(_tries_key(user), PASSWORD_TRIES)
    except RedisError:
        return None
    if tried < PASSWORD_TRIES.limit:
        return None
    return PASSWORD_TRIES.window - int(time.time()) % PASSWORD_TRIES.window


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Check the password, then hide the account at once and leave the rest to a task.

    From here the account is inactive (gone from every page, list and answer),
    its password is unusable (so no moderator action or log-in brings it
    back) and its tokens are revoked. The caller logs out the session.
    """
    if (wait := _wait_after_wrong_passwords(user)) is not None:
        raise ServiceError(_("Too many wrong passwords. Try again later."), field="password", status=429,
                           retry_after=wait)  # fmt: skip
    if not password:
        raise ServiceError(_("Give your password."), field="password")
    if not user.check_password(password):
        with contextlib.suppress(RedisError):  # with Redis down the limit can't count; the answer stands
            ratelimit.hit(_tries_key(user), PASSWORD_TRIES)
        raise Forbidden(_("That isn't your password."), field="password")  # well-formed, but not the key
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.is_active = False
    locked.set_unusable_password()
    locked.save(update_fields=["is_active", "password"])
    user.is_active, user.password = locked.is_active, locked.password
    account_services.tokens_revoke_all(user=locked)  # which also closes its live sockets, once committed
    hooks.deletion_asked(user=locked)
    enqueue_on_commit("accounts.tasks.delete_account", locked.pk)


def is_being_deleted(user: User) -> bool:
    """Asked for deletion: inactive with an unusable password (a suspension keeps the password)."""
    return not user.is_active and not user.has_usable_password()


def account_erase(user_id: int) -> bool:
    """The task's body: remove everything of an account whose deletion was asked, then the account.

    Each step is its own transaction and looks at what is left, so a task that
    stops halfway and runs again finishes the job; counts are recounted in the
    same transaction as the rows they count.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False  # done already
    if not is_being_deleted(user):
        logger.warning("not deleting user %s: no deletion was asked for", user_id)
        return False
    hooks.erase_user(user=user)  # each app's data, in the order config/wiring.py gives
    _erase_account(user)
    return True


def _account_files(user: User) -> Iterator[tuple[Any, str]]:
    for field in (user.avatar, user.header):
        if field:
            yield field.storage, field.name


@transaction.atomic
def _erase_account(user: User) -> None:
    """The rest (exports, tokens, stored API answers, profile pictures), then the row."""
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None:
        return
    exports = list(AccountExport.objects.filter(user=user))
    pictures = list(_account_files(user))
    AuthToken.objects.filter(user=user).delete()
    IdempotencyKey.objects.filter(scope__in=[f"user:{user.pk}", f"form:{user.pk}"]).delete()
    user.delete()

    def delete_files():
        delete_export_files(exports)
        for storage, name in pictures:
            storage.delete(name)

    after_commit(delete_files)
