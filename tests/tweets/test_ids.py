"""Snowflake ids: unique across connections, ordered like time, written as strings."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from config.kernel import ids


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_ids_are_unique_across_connections_and_increase():
    results: list[list[int]] = []
    lock = threading.Lock()

    def worker():
        made = [ids.new_id() for _ in range(400)]
        with lock:
            results.append(made)
        connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for made in results for i in made]
    assert len(everything) == len(set(everything)) == 1600
    for made in results:
        assert made == sorted(made)  # each connection sees them rise
    assert all(0 < i < 2**63 for i in everything)


@pytest.mark.django_db
def test_ids_follow_the_clock():
    first = ids.new_id()
    time.sleep(0.005)
    second = ids.new_id()
    assert second > first
    assert abs(ids.time_of(second) - datetime.now(UTC)) < timedelta(seconds=5)
    assert ids.time_of(first) <= ids.time_of(second)


def test_id_at_round_trips_time():
    moment = datetime(2026, 3, 4, 5, 6, 7, 123000, tzinfo=UTC)
    assert ids.time_of(ids.id_at(moment)) == moment
    assert ids.id_at(moment, 1) > ids.id_at(moment, 0)
    assert ids.id_at(moment + timedelta(milliseconds=1)) > ids.id_at(moment, ids.SEQUENCE_MASK)
