from django.urls import path

from notifications.webpush import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="web-manifest"),
    path("settings/notifications/push/<int:subscription_id>/remove", views.remove, name="push-subscription-remove"),
]
