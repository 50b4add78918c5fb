"""The OAuth 2 endpoints, under DOT's URL namespace (its views reverse "oauth2_provider:token" and the like)."""

from django.urls import path

from accounts import oauth_views

app_name = "oauth2_provider"

urlpatterns = [
    path("oauth/authorize", oauth_views.AuthorizeView.as_view(), name="authorize"),
    path("oauth/token", oauth_views.TokenView.as_view(), name="token"),
    path("oauth/revoke", oauth_views.RevokeView.as_view(), name="revoke-token"),
    path("oauth/introspect", oauth_views.IntrospectView.as_view(), name="introspect"),
    path(".well-known/oauth-authorization-server", oauth_views.MetadataView.as_view(), name="oauth-server-metadata"),
]
