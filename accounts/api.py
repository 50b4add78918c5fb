"""API views for accounts: sign-up, tokens, password reset, profiles."""

from contextlib import contextmanager

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lifecycle, mfa, security, services
from accounts.models import User
from accounts.serializers import (
    LoginMFARequestSerializer,
    LoginRequestSerializer,
    LoginResponseSerializer,
    MFARequiredSerializer,
    NoticeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
    SignupRequestSerializer,
    SignupResponseSerializer,
    UserSerializer,
)
from config.kernel.api.fields import TextField
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.schema import ChirpAutoSchema, errors
from config.kernel.errors import ServiceError
from config.kernel.timefmt import iso_z


@contextmanager
def _no_session(request):
    """Whatever allauth notes in the session while signing up (the verified email) is not kept."""
    session = request.session
    before = set(session.keys())
    yield
    for key in set(session.keys()) - before:
        del session[key]
    if not before:
        session.modified = False  # nothing to save: no cookie


# allauth's codes for a username or address someone has (a reserved username is the site's own).
TAKEN = {"username_taken", "email_taken", "username_blacklisted", "unique"}


class SignupView(APIView):
    authentication_classes = []  # a fresh client has no credentials, and needs no CSRF token
    permission_classes = [AllowAny]
    throttle_scope = "signup"

    @extend_schema(
        operation_id="signup",
        request=SignupRequestSerializer,
        responses={
            201: SignupResponseSerializer,
            **errors(s409="The username or the email address is taken (or the username is reserved)."),
        },
        parameters=[IDEMPOTENCY_PARAMETER],
        description=(
            "Bad input (a malformed email, a username that breaks the rules, a password too short, all digits, "
            "too common or too like the username) is 400; a username or email address someone has is 409."
        ),
        tags=["accounts"],
    )
    @idempotent(reissue={"token": lambda answer: services.token_create(user=User.objects.get(pk=answer["userId"]))})
    def post(self, request):
        data = valid(SignupRequestSerializer, request.data)
        with _no_session(request._request):  # a token client gets no cookie
            try:
                user = services.user_signup(request=request._request, **data)
            except ServiceError as error:
                if any(TAKEN & codes for codes in error.codes.values()):
                    error.status = status.HTTP_409_CONFLICT  # someone has it; `fields` names any other fault too
                raise
        token = services.token_create(user=user)
        profile = UserSerializer(user, context={"request": request}).data
        return Response({"userId": str(user.pk), "token": token, "profile": profile}, status=status.HTTP_201_CREATED)


LOGIN_ANSWER = PolymorphicProxySerializer(
    component_name="LoginAnswer",
    serializers=[LoginResponseSerializer, MFARequiredSerializer],
    resource_type_field_name=None,
)


def _logged_in(request, user) -> Response:
    """The answer to a finished login: a new bearer token and the profile (logged in the person's security log)."""
    security.login_record(request=request._request, user=user)
    token = services.token_create(user=user)
    return Response({"token": token, "user": UserSerializer(user, context={"request": request}).data})


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    @extend_schema(
        operation_id="login",
        request=LoginRequestSerializer,
        responses={
            200: OpenApiResponse(
                LOGIN_ANSWER,
                description="`{token, user}`; or, for an account with two-factor login, "
                "`{mfaRequired: true, mfaToken, methods}`: send a code to `/login/mfa` to get the token.",
                examples=[
                    OpenApiExample(
                        "mfa", {"mfaRequired": True, "mfaToken": "eyJ1Ijo...", "methods": ["totp", "recovery_codes"]}
                    ),
                ],
            ),
            **errors(s401="Wrong username, email or password.", s403="The account is inactive."),
        },
        tags=["accounts"],
    )
    def post(self, request):
        data = valid(LoginRequestSerializer, request.data)
        user = services.user_authenticate(request=request._request, login=data["login"], password=data["password"])
        if mfa.required(user):
            return Response({"mfaRequired": True, "mfaToken": mfa.login_token(user), "methods": mfa.code_methods(user)})
        return _logged_in(request, user)


class LoginMFAView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    @extend_schema(
        operation_id="login_mfa",
        request=LoginMFARequestSerializer,
        responses={
            200: LoginResponseSerializer,
            **errors(
                s401="The code is wrong, used already (a recovery code, or an app's code within its 30 s), or the "
                "`mfaToken` is forged, older than 5 minutes or from before a password change.",
                s429="Too many wrong codes for this account or from this address; see `Retry-After`.",
            ),
        },
        description=(
            "The second step of logging in to an account with two-factor login: the `mfaToken` from `/login` and "
            "a code (the authenticator app's, or an unused recovery code, which is then spent). Answers as `/login` "
            "does. Wrong codes are limited per account and per address; past the limit every code is refused "
            "(429) until `Retry-After` passes."
        ),
        tags=["accounts"],
    )
    def post(self, request):
        data = valid(LoginMFARequestSerializer, request.data)
        user = mfa.login_finish(request=request._request, token=data["mfaToken"], code=data["code"])
        return _logged_in(request, user)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="logout", request=None, responses=NoticeSerializer, tags=["accounts"])
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.token_revoke(token=request.auth)
        else:
            services.user_logout(request=request._request)
        return Response({"message": _("Logged out.")})


class PasswordResetRequestView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "password_reset"

    @extend_schema(operation_id="password_reset_request", request=PasswordResetRequestSerializer,
                   responses=NoticeSerializer, tags=["accounts"])  # fmt: skip
    def post(self, request):
        data = valid(PasswordResetRequestSerializer, request.data)
        services.password_reset_request(request=request._request, email=data["email"])
        return Response({"message": _("If an account uses that address, we sent it a link to reset the password.")})


class PasswordResetConfirmView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "password_reset"

    @extend_schema(
        operation_id="password_reset_confirm",
        request=PasswordResetConfirmSerializer,
        responses={200: NoticeSerializer, **errors(s403="The reset code is wrong or has expired (`fields.token`).")},
        tags=["accounts"],
    )
    def post(self, request):
        data = valid(PasswordResetConfirmSerializer, request.data)
        try:
            services.password_reset_confirm(token=data["token"], new_password=data["newPassword"])
        except ServiceError as error:
            if "token" in error.fields:  # a well-formed code that opens nothing: refused, not malformed
                error.status = status.HTTP_403_FORBIDDEN
            raise
        return Response({"message": _("Your password has been changed. Log in with the new one.")})


EXPORT_PENDING = inline_serializer(
    "AccountExportPending",
    {
        "status": serializers.ChoiceField(choices=["pending"]),
        "requestedAt": serializers.DateTimeField(help_text="When the export being prepared was asked for."),
    },
)


class AccountExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="account_export",
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The zip (`Content-Disposition: attachment`), while a ready export is under 7 days old.",
            ),
            202: OpenApiResponse(
                EXPORT_PENDING,
                description="No ready export: one is being prepared (started by this call if none was). "
                "Call again later; the answer becomes the zip, and a notification and an email say when.",
                examples=[OpenApiExample("pending", {"status": "pending", "requestedAt": "2026-11-21T12:00:00Z"})],
            ),
        },
        description=(
            "Your data as a zip: README.txt, profile.json, tweets.json, likes.json, bookmarks.json, drafts.json, "
            "following.json, followers.json, muted_words.json, messages.json, lists.json and media/ (your images). "
            "Built in the background: the first call answers 202, later calls the zip, for 7 days after it was made; "
            "then a call starts a new one."
        ),
        tags=["accounts"],
    )
    def get(self, request):
        export = lifecycle.ready_export(request.user)
        if export is not None:
            return lifecycle.export_response(export)
        export, _started = lifecycle.account_export_request(user=request.user, site_url=request.build_absolute_uri("/"))
        requested_at = iso_z(export.created_at)
        return Response({"status": "pending", "requestedAt": requested_at}, status=status.HTTP_202_ACCEPTED)


class AccountDeleteSerializer(serializers.Serializer):
    password = TextField(trim_whitespace=False, help_text="Your current password.")


class DeleteWithBodySchema(ChirpAutoSchema):
    """Documents a DELETE's request body, which drf-spectacular leaves out by default (SPEC §4 sends one)."""

    def _get_request_body(self, direction="request"):
        method = self.method
        self.method = "POST" if method == "DELETE" else method
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = method


class AccountView(APIView):
    permission_classes = [IsAuthenticated]
    schema = DeleteWithBodySchema()

    @extend_schema(
        operation_id="account_delete",
        request=AccountDeleteSerializer,
        responses={
            200: NoticeSerializer,
            **errors(
                s400="No `password`.",
                s403="Not your password (`fields.password`).",
                s429="Too many wrong passwords (or requests); see `Retry-After`.",
            ),
        },
        description=(
            "Delete your account. A missing password is 400 and a wrong one 403 (`fields.password`); either "
            "changes nothing. "
            "Otherwise the account disappears at once from every page and answer, every token is revoked (this "
            "one too) and the session ends; its posts, likes, follows, messages and images are removed in the "
            "background. It can't be undone."
        ),
        tags=["accounts"],
    )
    def delete(self, request):
        data = valid(AccountDeleteSerializer, request.data)
        lifecycle.account_delete(user=request.user, password=data["password"])
        if not isinstance(request.auth, AuthToken):
            services.user_logout(request=request._request)
        return Response({"message": _("Your account was deleted. Everything in it is being removed.")})
