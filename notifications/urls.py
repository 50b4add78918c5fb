from django.urls import path

from notifications import views
from notifications.mail import views as mail_views

urlpatterns = [
    path("notifications", views.notifications_page, name="notifications"),
    path("notifications/mentions", views.notifications_page, {"tab": "mentions"}, name="notifications-mentions"),
    path("notifications/read", views.mark_read, name="notifications-read"),
    path("notifications/read-all", views.mark_all_read, name="notifications-read-all"),
    path("settings/notifications", views.settings_notifications, name="settings-notifications"),
    path("tweets/<int:tweet_id>/mute-conversation", views.mute_conversation, name="conversation-mute"),
    path("tweets/<int:tweet_id>/unmute-conversation", views.unmute_conversation, name="conversation-unmute"),
    path("unsubscribe/<str:token>", mail_views.unsubscribe_page, name="email-unsubscribe"),
]
