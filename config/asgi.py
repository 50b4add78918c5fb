"""ASGI entry point: HTTP through Django, WebSockets at /ws/ through Channels."""

import os
import warnings

from config.kernel.asgi_handler import application as http_application

# Files (media, and static files in development) stream from disk in a thread: fine for
# what this server sends; production sends them from WhiteNoise under WSGI or from S3.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = http_application()  # sets up Django before the consumers import models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from notifications.auth import TokenOrSessionAuth  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402
from social.mastodon.routing import websocket_urlpatterns as mastodon_websocket_urlpatterns  # noqa: E402
from social.mastodon.streaming import StreamingTokenHeader  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": StreamingTokenHeader(
            TokenOrSessionAuth(URLRouter(websocket_urlpatterns + mastodon_websocket_urlpatterns))
        ),
    }
)
