from django.urls import re_path

from social.mastodon.streaming import StreamingConsumer

websocket_urlpatterns = [re_path(r"^api/v1/streaming/?$", StreamingConsumer.as_asgi())]
