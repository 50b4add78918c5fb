"""config/kernel/cache.py: Django's Redis cache keeps one redis-py client, on the real Redis."""

from django.core.cache import cache

from config.kernel.cache import KeptClientRedisCacheClient


def test_every_cache_call_shares_one_client_and_still_reads_what_it_wrote():
    backend = cache._cache
    assert isinstance(backend, KeptClientRedisCacheClient)
    client = backend.get_client()
    cache.set("kept-client", {"a": 1}, 30)
    assert cache.get("kept-client") == {"a": 1}
    assert cache.get_many(["kept-client", "nothing"]) == {"kept-client": {"a": 1}}
    cache.delete("kept-client")
    assert cache.get("kept-client") is None
    assert backend.get_client(write=True) is client and backend.get_client() is client
    assert client.connection_pool is backend._pools[0]


def test_readers_get_the_client_of_the_server_they_were_given():
    # Several servers: writes go to the first, reads to one of the others, each its own client and pool.
    backend = KeptClientRedisCacheClient(["redis://127.0.0.1:1/0", "redis://127.0.0.1:2/0", "redis://127.0.0.1:3/0"])
    writer = backend.get_client(write=True)
    readers = {id(backend.get_client()) for _ in range(50)}
    assert writer.connection_pool is backend._pools[0]
    assert id(writer) not in readers and len(readers) == 2
    ports = {backend._clients[index].connection_pool.connection_kwargs["port"] for index in (1, 2)}
    assert ports == {2, 3}
