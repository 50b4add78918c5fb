"""Mastodon's PATCH /api/v1/accounts/update_credentials over accounts.services.profile_update,
with the same checks as Chirp's own profile edit (accounts.serializers.ProfileWriteSerializer):
display_name -> name (50), note -> bio (160, plain text), locked -> is_private, avatar and header
through the same image pipeline. `source[privacy]` and `source[sensitive]` are checked and
otherwise ignored: a Chirp post follows its account's lock, and Chirp has no default
"sensitive" for new posts. `fields_attributes`, `bot`, `discoverable` are not Chirp's and ignored.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import services as account_services
from accounts.serializers import ProfileWriteSerializer
from config.kernel.api.input import valid
from social.mastodon.credentials import account_json
from social.mastodon.reading import TRUE, MastodonWriteView

PRIVACIES = {"public", "unlisted", "private", "direct"}
FLAGS = TRUE | {"false", "0", "off", "no", False}


def _source(data, name: str):
    """`source[name]` (forms) or `source: {name: ...}` (JSON)."""
    if f"source[{name}]" in data:
        return data.get(f"source[{name}]")
    source = data.get("source")
    return source.get(name) if isinstance(source, dict) else None


def _flag(value, name: str) -> bool:
    found = value.lower() if isinstance(value, str) else value
    if not isinstance(found, str | bool) or found not in FLAGS:
        raise ValidationError({name: ["Must be true or false."]})
    return found in TRUE


class UpdateCredentialsView(MastodonWriteView):
    oauth_scopes = {"PATCH": "write:accounts"}
    permission_classes = [IsAuthenticated]

    def patch(self, request):
        data = request.data
        wanted: dict = {}
        for mastodon_name, chirp_name in (("display_name", "name"), ("note", "bio")):
            if mastodon_name in data:
                wanted[chirp_name] = data.get(mastodon_name)
        for image in ("avatar", "header"):
            if data.get(image):
                wanted[image] = data.get(image)
        if "locked" in data:
            wanted["isPrivate"] = _flag(data.get("locked"), "locked")
        privacy = _source(data, "privacy")
        if privacy is not None and (not isinstance(privacy, str) or privacy not in PRIVACIES):
            raise ValidationError({"source[privacy]": [f"One of {', '.join(sorted(PRIVACIES))}."]})
        if (sensitive := _source(data, "sensitive")) is not None:
            _flag(sensitive, "source[sensitive]")
        checked = dict(valid(ProfileWriteSerializer, wanted, partial=True))
        avatar, header = checked.pop("avatar", None), checked.pop("header", None)
        is_private = checked.pop("is_private", None)
        user = account_services.profile_update(
            user=request.user, changes=checked, avatar=avatar, header=header, is_private=is_private
        )
        return Response(account_json(user, request))
