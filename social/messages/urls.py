from django.urls import path

from social.messages import views

urlpatterns = [
    path("messages", views.inbox, name="messages"),
    path("messages/new", views.new_conversation, name="conversation-new"),
    path("messages/with/<str:username>", views.message_with, name="message-with"),
    path("messages/<int:conversation_id>", views.conversation, name="conversation"),
    path("messages/<int:conversation_id>/send", views.send, name="conversation-send"),
    path("messages/<int:conversation_id>/newer", views.newer, name="conversation-newer"),
    path("messages/<int:conversation_id>/read", views.read, name="conversation-read"),
    path("messages/<int:conversation_id>/leave", views.leave, name="conversation-leave"),
    path("messages/<int:conversation_id>/add", views.add_people, name="conversation-add"),
    path("messages/<int:conversation_id>/<int:message_id>/delete", views.hide, name="message-hide"),
    path("messages/images/<int:image_id>", views.image_item, name="message-image-item"),
]
