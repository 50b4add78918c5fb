"""Two workers with the same mail to send at once: the row lock makes them take turns, and one mail goes."""

from __future__ import annotations

import asyncio
import threading

import pytest
from django.db import connection

from notifications.mail import delivery
from notifications.models import EmailState
from tests.factories import UserFactory
from tests.notifications.mail.conftest import verify
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_workers_send_one_mail(smtp):
    ann, ben = UserFactory(username="ann"), UserFactory(username="ben")
    verify(ann)
    reply = post(ben, "hello", reply_to_id=post(ann).pk)  # on commit: the first worker's job, run here (eager)
    assert len(smtp.messages) == 1
    smtp.clear()
    # The same job delivered to two workers at once (a redelivery, or the task and the sweep together),
    # with the mail due: only one may send.
    EmailState.objects.filter(user=ann, kind="reply").update(last_sent_at=None, mailed_until=None)
    slow = smtp.handle_DATA

    async def slowly(server, session, envelope):
        await asyncio.sleep(0.5)  # hold the first worker inside its transaction
        return await slow(server, session, envelope)

    smtp.handle_DATA = slowly
    start, outcomes = threading.Barrier(2), []

    def worker():
        try:
            start.wait()
            outcomes.append(delivery.deliver(ann.pk, "reply"))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["later", "sent"]
    assert len(smtp.messages) == 1 and reply
