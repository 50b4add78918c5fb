from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications", views.notifications_page, name="notifications"),
    path("notifications/mentions", views.notifications_page, {"tab": "mentions"}, name="notifications-mentions"),
    path("notifications/read", views.mark_read, name="notifications-read"),
    path("notifications/read-all", views.mark_all_read, name="notifications-read-all"),
]
