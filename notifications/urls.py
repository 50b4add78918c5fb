from django.urls import path

from notifications import views

urlpatterns = [path("notifications", views.notifications_page, name="notifications")]
