"""Developers' OAuth apps through the API: /api/v1/developer/apps (accounts/oauth.py does the work).

Only the site's own sign-ins (knox tokens, the session) manage apps: an OAuth
token can't register more apps or read their ids.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import oauth
from accounts.serializers import NoticeSerializer
from config.kernel.api import patterns
from config.kernel.api.auth import BearerTokenAuthentication
from config.kernel.api.fields import TextField
from config.kernel.api.input import valid
from config.kernel.api.oauth_scopes import SCOPES
from config.kernel.api.schema import errors
from config.kernel.timefmt import iso_z

FIRST_PARTY = [BearerTokenAuthentication, SessionAuthentication]


class AppCreateSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    redirectUris = serializers.ListField(child=TextField(max_length=500), min_length=1, max_length=10)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(SCOPES)), min_length=1, max_length=40)
    website = TextField(
        max_length=300, required=False, allow_blank=True, default="", help_text="An http(s) URL, or empty."
    )
    clientType = serializers.ChoiceField(choices=["confidential", "public"], required=False, default="confidential")

    schema_rules = {
        "properties": {
            "name": {"pattern": patterns.NOT_BLANK},
            "website": {"pattern": oauth.WEBSITE},
            "redirectUris": {"items": {"type": "string", "maxLength": 500, "pattern": oauth.REDIRECT_URI}},
        }
    }


class AppSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    clientId = serializers.CharField()
    clientType = serializers.ChoiceField(choices=["confidential", "public"])
    redirectUris = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())
    website = serializers.CharField()
    createdAt = serializers.CharField()


class AppListSerializer(serializers.Serializer):
    apps = AppSerializer(many=True)


class AppCreatedSerializer(AppSerializer):
    clientSecret = serializers.CharField(
        allow_null=True, help_text="Shown once, for confidential clients; null for public ones."
    )


def app_json(app) -> dict:
    details = getattr(app, "chirp", None)
    return {
        "id": str(app.pk),
        "name": app.name,
        "clientId": app.client_id,
        "clientType": app.client_type,
        "redirectUris": app.redirect_uris.split(),
        "scopes": details.scope_list if details else [],
        "website": details.website if details else "",
        "createdAt": iso_z(app.created),
    }


def _app_id(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0  # 0: no app has it, so a 404


class DeveloperAppsView(APIView):
    authentication_classes = FIRST_PARTY
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="developer_apps_list", tags=["developer"],
                   responses={200: OpenApiResponse(AppListSerializer, description="Your apps, newest first."),
                              **errors(401)})  # fmt: skip
    def get(self, request):
        return Response({"apps": [app_json(app) for app in oauth.apps_of(request.user)]})

    @extend_schema(operation_id="developer_apps_create", tags=["developer"], request=AppCreateSerializer,
                   responses={201: AppCreatedSerializer, **errors(400, 401, 409)})  # fmt: skip
    def post(self, request):
        data = valid(AppCreateSerializer, request.data)
        app, secret = oauth.app_create(user=request.user, name=data["name"], redirect_uris=data["redirectUris"],
                                       scopes=data["scopes"], website=data["website"],
                                       client_type=data["clientType"])  # fmt: skip
        app = oauth.app_of(request.user, app.pk)
        return Response({**app_json(app), "clientSecret": secret}, status=status.HTTP_201_CREATED)


class DeveloperAppView(APIView):
    authentication_classes = FIRST_PARTY
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="developer_apps_get", tags=["developer"],
                   responses={200: AppSerializer, **errors(401, 404)})  # fmt: skip
    def get(self, request, app_id: str):
        return Response(app_json(oauth.app_of(request.user, _app_id(app_id))))

    @extend_schema(operation_id="developer_apps_delete", tags=["developer"],
                   responses={200: NoticeSerializer, **errors(401, 404)})  # fmt: skip
    def delete(self, request, app_id: str):
        oauth.app_delete(user=request.user, app_id=_app_id(app_id))
        return Response({"message": _("App deleted. Its tokens no longer work.")})
