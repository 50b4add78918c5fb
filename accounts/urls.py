from django.urls import path
from django.views.generic import RedirectView

from accounts import oauth_views, views

urlpatterns = [
    path("settings/", RedirectView.as_view(pattern_name="settings-profile"), name="settings"),
    path("settings/profile", views.settings_profile, name="settings-profile"),
    path("settings/privacy", views.settings_privacy, name="settings-privacy"),
    path("settings/display", views.settings_display, name="settings-display"),
    path("settings/account", views.settings_account, name="settings-account"),
    path("settings/account/tokens", views.token_create, name="token-create"),
    path("settings/account/tokens/<str:digest>/revoke", views.token_revoke, name="token-revoke"),
    path("settings/account/export", views.account_export, name="account-export"),
    path("settings/account/export/<int:export_id>", views.account_export_download, name="account-export-download"),
    path("settings/security", views.settings_security, name="settings-security"),
    path("settings/security/sessions/end", views.sessions_end, name="sessions-end"),
    path("settings/security/sessions/<int:session_id>/end", views.session_end, name="session-end"),
    path("settings/developer", oauth_views.settings_developer, name="settings-developer"),
    path("settings/developer/apps/<int:app_id>/delete", oauth_views.developer_app_delete, name="developer-app-delete"),
    path(
        "settings/developer/connected/<int:app_id>/revoke",
        oauth_views.connected_app_revoke,
        name="app-revoke",
    ),
    path("settings/account/delete", views.account_delete, name="account-delete"),
]
