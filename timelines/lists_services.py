"""Writes for lists: create, edit, delete, add and remove members. Only the owner writes.

A membership change moves the list's `version` on, in the same transaction:
the list's Redis timeline is keyed by it (timelines/list_timelines.py), so the
next read builds the timeline afresh from PostgreSQL.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from config.kernel import text
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.tasks import after_commit
from social.graph.visibility import RelationSet
from timelines import list_timelines
from timelines.models import List, ListMember

NO_SUCH_USER = gettext_noop("No such user.")
# Said when the person blocked the owner: the refusal doesn't say why (as a block is never announced).
CANT_ADD = gettext_noop("You can't add @%(username)s to lists.")


def _name(raw: str) -> str:
    name = " ".join(text.normalise(raw).split()) if isinstance(raw, str) else ""  # one line
    if text.is_blank(name):
        raise ServiceError(_("Give the list a name."), field="name")
    if len(name) > List.NAME_MAX:
        raise ServiceError(
            _("A list's name can be at most %(limit)s characters.") % {"limit": List.NAME_MAX}, field="name"
        )
    return name


def _description(raw: str) -> str:
    description = " ".join(text.normalise(raw).split()) if isinstance(raw, str) else ""
    if len(description) > List.DESCRIPTION_MAX:
        raise ServiceError(
            _("A list's description can be at most %(limit)s characters.") % {"limit": List.DESCRIPTION_MAX},
            field="description",
        )
    return description


@transaction.atomic
def list_create(*, owner: User, name: str, description: str = "", is_private: bool = False) -> List:
    name, description = _name(name), _description(description)
    User.objects.select_for_update().filter(pk=owner.pk).first()  # one create at a time per owner: the cap holds
    if List.objects.filter(owner=owner).count() >= List.MAX_PER_OWNER:
        raise Conflict(
            _("You can have at most %(limit)s lists. Delete one first.") % {"limit": f"{List.MAX_PER_OWNER:,}"}
        )
    return List.objects.create(owner=owner, name=name, description=description, is_private=is_private)


def _own(actor: User, lst: List) -> None:
    if lst.owner_id != actor.pk:
        raise Forbidden(_("Only the list's owner can change it."))


@transaction.atomic
def list_update(
    *, actor: User, lst: List, name: str | None = None, description: str | None = None, is_private: bool | None = None
) -> List:
    _own(actor, lst)
    changes = {}
    if name is not None:
        changes["name"] = _name(name)
    if description is not None:
        changes["description"] = _description(description)
    if is_private is not None:
        changes["is_private"] = is_private
    for field, value in changes.items():
        setattr(lst, field, value)
    if changes:
        lst.save(update_fields=list(changes))
    return lst


@transaction.atomic
def list_delete(*, actor: User, lst: List) -> None:
    _own(actor, lst)
    after_commit(list_timelines.forget, lst.pk, lst.version)
    lst.delete()


def _locked(lst: List) -> List:
    """The list's row, locked: adds and removes of one list run one at a time (the member cap holds)."""
    found = List.objects.select_for_update().filter(pk=lst.pk).first()
    if found is None:
        raise NotFound(_("No such list."))
    return found


def _moved_on(row: List, change: int) -> None:
    """Count the member and move the version on: the next read builds the timeline afresh; the old set goes."""
    List.objects.filter(pk=row.pk).update(member_count=F("member_count") + change, version=F("version") + 1)
    after_commit(list_timelines.forget, row.pk, row.version)


@transaction.atomic
def list_member_add(*, actor: User, lst: List, member: User | None) -> bool:
    """Add someone to one's list (idempotent). Returns whether they were new."""
    _own(actor, lst)
    if member is None or not member.is_active:
        raise NotFound(_(NO_SUCH_USER), field="userId")
    relations = RelationSet.for_viewer(actor, [member.pk])
    if member.pk in relations.blocked:
        raise Forbidden(
            _("You blocked @%(username)s. Unblock them first.") % {"username": member.username}, field="userId"
        )
    if member.pk in relations.blocked_by:
        raise Forbidden(_(CANT_ADD) % {"username": member.username}, field="userId")
    row = _locked(lst)
    if ListMember.objects.filter(list=row, user=member).exists():
        return False
    if row.member_count >= List.MAX_MEMBERS:
        raise Conflict(
            _("A list can have at most %(limit)s members. Remove someone first.") % {"limit": f"{List.MAX_MEMBERS:,}"},
            field="userId",
        )
    try:
        with transaction.atomic():
            ListMember.objects.create(list=row, user=member)
    except IntegrityError:  # cannot happen under the row lock; kept for safety
        return False
    _moved_on(row, +1)
    lst.refresh_from_db(fields=["member_count", "version"])
    return True


@transaction.atomic
def list_member_remove(*, actor: User, lst: List, member_id: int) -> bool:
    """Take someone off one's list (idempotent). Returns whether they were on it."""
    _own(actor, lst)
    row = _locked(lst)
    deleted, _rows = ListMember.objects.filter(list=row, user_id=member_id).delete()
    if deleted:
        _moved_on(row, -1)
        lst.refresh_from_db(fields=["member_count", "version"])
    return bool(deleted)
