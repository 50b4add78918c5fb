from django.urls import path

from social import views

urlpatterns = [path("messages", views.inbox, name="messages")]
