from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.validators import validate_username
from config.kernel.api import patterns
from config.kernel.api.fields import FlagField, IdField, TextField
from config.kernel.api.patterns import NOT_BLANK
from config.kernel.timefmt import iso_z


def media_url(request, field) -> str | None:
    if not field:
        return None
    url = field.url
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


def user_json(user: User, request) -> dict:
    """What UserSerializer writes, by hand: several times faster for long lists (search answers)."""
    relation = getattr(user, "relation", None)
    shown = relation and relation["signed_in"] and not relation["is_self"]
    return {
        "id": str(user.pk),
        "username": user.username,
        "name": user.display_name,
        "bio": user.bio,
        "location": user.location,
        "website": user.website,
        "avatarUrl": media_url(request, user.avatar),
        "headerUrl": media_url(request, user.header),
        "isPrivate": user.is_private,
        "createdAt": iso_z(user.date_joined),
        "followersCount": user.followers_count,
        "followingCount": user.following_count,
        "relationship": {
            "following": relation["following"],
            "followRequested": relation["requested"],
            "followedBy": relation["followed_by"],
            "blocking": relation["blocking"],
            "blockedBy": relation["blocked_by"],
            "muting": relation["muting"],
        }
        if shown
        else None,
    }


class RelationshipSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    followRequested = serializers.BooleanField(source="requested")
    followedBy = serializers.BooleanField(source="followed_by")
    blocking = serializers.BooleanField()
    blockedBy = serializers.BooleanField(source="blocked_by")
    muting = serializers.BooleanField()


class UserSerializer(serializers.ModelSerializer):
    """A public profile, as every endpoint that shows a user writes it."""

    id = IdField()
    name = serializers.CharField(source="display_name", read_only=True)
    website = serializers.URLField(read_only=True, allow_blank=True, help_text="A URL, or empty.")
    avatarUrl = serializers.SerializerMethodField()
    headerUrl = serializers.SerializerMethodField()
    isPrivate = serializers.BooleanField(source="is_private", read_only=True)
    createdAt = serializers.DateTimeField(source="date_joined", read_only=True)
    followersCount = serializers.IntegerField(source="followers_count", read_only=True)
    followingCount = serializers.IntegerField(source="following_count", read_only=True)
    relationship = serializers.SerializerMethodField(
        help_text="How the signed-in caller relates to this person; null for anonymous callers and oneself."
    )

    class Meta:
        model = User
        fields = ["id", "username", "name", "bio", "location", "website", "avatarUrl", "headerUrl", "isPrivate",
                  "createdAt", "followersCount", "followingCount", "relationship"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(RelationshipSerializer(allow_null=True))
    def get_relationship(self, user):
        relation = getattr(user, "relation", None)
        if not relation or not relation["signed_in"] or relation["is_self"]:
            return None
        return RelationshipSerializer(relation).data

    def get_avatarUrl(self, user) -> str | None:
        return media_url(self.context.get("request"), user.avatar)

    def get_headerUrl(self, user) -> str | None:
        return media_url(self.context.get("request"), user.header)


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH/PUT /users/:id as JSON. Text is trimmed; lengths count it as sent."""

    name = TextField(max_length=50, help_text="The display name.")
    bio = TextField(max_length=160, required=False, allow_blank=True)
    location = TextField(max_length=30, required=False, allow_blank=True)
    website = TextField(
        max_length=100, required=False, allow_blank=True, trim_whitespace=False, validators=[URLValidator()],
        help_text="A URL, or empty.",
    )  # fmt: skip
    isPrivate = FlagField(source="is_private", required=False)


class ProfileImagesSerializer(ProfileUpdateSerializer):
    """PATCH/PUT /users/:id as multipart: the same text fields, and new images."""

    isPrivate = None  # a JSON flag: multipart carries only text and files
    avatar = serializers.FileField(required=False, write_only=True, help_text="JPEG, PNG, GIF or WebP, up to 5 MB.")
    header = serializers.FileField(required=False, write_only=True, help_text="JPEG, PNG, GIF or WebP, up to 5 MB.")


class ProfileWriteSerializer(ProfileImagesSerializer):
    """What the view reads, whichever way the body came."""

    isPrivate = FlagField(source="is_private", required=False)


# Passwords Django's validators would refuse for their form alone; "too common" and "too like your
# username" can't be written as a pattern and answer 400 like any other bad input.
PASSWORD_RULES = {"minLength": 8, "pattern": r"\D"}
SHORT_PASSWORD = {"min_length": "This password is too short. It must contain at least {min_length} characters."}


class SignupRequestSerializer(serializers.Serializer):
    # allauth's sign-up form judges these values; the fields say what it takes, for the schema.
    email = TextField(max_length=254, help_text="An email address.")
    username = TextField(max_length=15, validators=[validate_username], help_text=validate_username.message)
    password = TextField(
        min_length=8, max_length=4096, trim_whitespace=False, write_only=True, error_messages=SHORT_PASSWORD,
        help_text="At least 8 characters, not all digits, and not a common password.",
    )  # fmt: skip
    name = TextField(max_length=50, required=False, allow_blank=True, default="")

    schema_rules = {
        "properties": {"email": {"pattern": patterns.EMAIL}, "password": {"pattern": PASSWORD_RULES["pattern"]}}
    }


class SignupResponseSerializer(serializers.Serializer):
    userId = serializers.CharField()
    token = serializers.CharField()
    profile = UserSerializer()


class LoginRequestSerializer(serializers.Serializer):
    username = TextField(required=False, allow_blank=True, help_text="The username or the email address.")
    email = TextField(required=False, allow_blank=True, help_text="Instead of username.")
    password = TextField(trim_whitespace=False, write_only=True)

    # One of the two names who is logging in (`username` first when both are given).
    schema_rules = {
        "anyOf": [
            {"required": ["username"], "properties": {"username": {"pattern": NOT_BLANK}}},
            {"required": ["email"], "properties": {"email": {"pattern": NOT_BLANK}}},
        ]
    }

    def validate(self, data):
        login = data.get("username") or data.get("email")
        if not login:
            raise serializers.ValidationError({"username": ["Give a username or an email address."]})
        data["login"] = login
        return data


class LoginResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = UserSerializer()


class MFARequiredSerializer(serializers.Serializer):
    mfaRequired = serializers.BooleanField(help_text="Always true: the password was right; now a second factor.")
    mfaToken = serializers.CharField(help_text="Send it to `/login/mfa` with a code, within 5 minutes.")
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=["totp", "recovery_codes"]),
        help_text="What `/login/mfa` accepts for this account: `totp` (an authenticator app's 6-digit code) and/or "
        "`recovery_codes` (one of the 8-digit recovery codes, each usable once).",
    )


class LoginMFARequestSerializer(serializers.Serializer):
    mfaToken = TextField(max_length=1000, help_text="From the `/login` answer.")
    code = TextField(max_length=32, help_text="The authenticator app's current code, or an unused recovery code.")


class UserResponseSerializer(serializers.Serializer):
    user = UserSerializer()


class NoticeSerializer(serializers.Serializer):
    message = serializers.CharField()


class PasswordResetRequestSerializer(serializers.Serializer):
    email = TextField(max_length=254, help_text="An email address.")  # allauth's form checks it

    schema_rules = {"properties": {"email": {"pattern": patterns.EMAIL}}}


class PasswordResetConfirmSerializer(serializers.Serializer):
    token = TextField(max_length=200, help_text="The reset code from the email.")
    newPassword = TextField(
        min_length=8, max_length=4096, trim_whitespace=False, write_only=True, error_messages=SHORT_PASSWORD
    )

    schema_rules = {"properties": {"newPassword": {"pattern": PASSWORD_RULES["pattern"]}}}
