"""Live events through the channel layer on a real Redis Cluster: channels-redis's pub/sub layer.

The socket's consumer subscribes through one node's connection; the event is
sent, by the app's one send path, through a layer connected to another node
(as a web process or worker with another seed would); the cluster carries the
PUBLISH to every node (docs/DECISIONS.md, "Redis Cluster"). The consumer's
presence entry is on the cluster too.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from config.settings import cluster_channel_layer
from notifications import presence
from notifications.events import send_event_on_commit
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("close_thread_connections", "on_cluster"),
]


def node_of(layer) -> str:
    return layer._get_layer()._shards[0].host["address"]


async def test_an_event_sent_through_another_node_reaches_the_socket(settings, redis_cluster):
    subscriber_node, publisher_node = redis_cluster.primaries()[:2]
    settings.CHANNEL_LAYERS = {"default": cluster_channel_layer(f"redis://127.0.0.1:{subscriber_node}")}
    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    socket = await listening(cookie=await cookie_for(alice))
    others = await listening(cookie=await cookie_for(bob))
    assert await sync_to_async(presence.is_online)(alice.pk)  # counted on the cluster
    subscribed_through = node_of(get_channel_layer())

    settings.CHANNEL_LAYERS = {"default": cluster_channel_layer(f"redis://127.0.0.1:{publisher_node}")}
    assert node_of(get_channel_layer()) != subscribed_through  # a new layer, another node's connection
    await sync_to_async(send_event_on_commit)([alice.pk], {"type": "unread", "notifications": 7})
    assert await socket.receive_json_from(timeout=5) == {"type": "unread", "notifications": 7}
    assert await others.receive_nothing(timeout=0.3)  # only the person's own group
    await socket.disconnect()
    await others.disconnect()
