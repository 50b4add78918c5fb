"""Mastodon's apps, instance, preferences, markers and the caller's account (issue 22)."""

from django.urls import path

from social.mastodon import apps_api, core_api

urlpatterns = [
    path("v1/apps", apps_api.AppsView.as_view()),
    path("v1/apps/verify_credentials", apps_api.AppVerifyView.as_view()),
    path("v1/instance/", core_api.InstanceSlashView.as_view()),  # Mastodon.py's spelling; no slash: Chirp's own
    path("v2/instance", core_api.InstanceV2View.as_view(), name="mastodon-instance-v2"),
    path("v2/instance/", core_api.InstanceV2View.as_view()),  # Mastodon.py asks with the slash
    path("v1/custom_emojis", core_api.CustomEmojisView.as_view()),
    path("v1/preferences", core_api.PreferencesView.as_view()),
    path("v1/markers", core_api.MarkersView.as_view()),
    path("v1/accounts/verify_credentials", core_api.VerifyCredentialsView.as_view()),
]
