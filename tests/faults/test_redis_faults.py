"""Redis killed, restarted (empty, or from a snapshot) and paused under load, with the whole stack running.

Load is a thread posting through the API; follows and unfollows go through
the API during the outage; "acknowledged" means the API answered 201. Every
check reads home timelines through the API, which reads Redis when it can.
Figures are logged as `MEASURED ...` (run with --log-cli-level=WARNING) and recorded in
docs/OPERATIONS.md, "Failure modes".
"""

import time

import pytest

from tests.faults.load import NO_LIMITS, Poster, follow_all, home_all, home_ids, measured, people, timelines_match
from tests.faults.stack import wait_until
from tweets.models import Tweet

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECOVERY = 60  # seconds after Redis is back by which every timeline must be right


def _started_stack(stack_for, readers):
    stack = stack_for("web", "worker", "beat", **NO_LIMITS)
    for reader in readers:  # everyone's timeline built in Redis, as for active readers
        assert home_all(stack, reader) is not None
    return stack


@pytest.mark.parametrize("restart", ["empty", "from a snapshot"])
def test_redis_killed_under_load_and_restarted(stack_for, fault_redis, restart):
    author, other, *readers = people(12)
    follow_all(readers, author)
    leaving, staying, joining = readers[:3], readers[3:5], readers[5:8]
    follow_all(leaving + staying, other)
    stack = _started_stack(stack_for, readers)
    other_posts = set()
    for number in range(3):
        status, body = stack.post("/api/v1/tweets", {"text": f"other {number}"}, token=other.token)
        assert status == 201
        other_posts.add(int(body["tweetId"]))

    poster = Poster(stack, author, pause=0.15).start()
    time.sleep(2)
    if restart == "from a snapshot":
        fault_redis.snapshot()  # the stock configuration saves now and then...
        time.sleep(10)  # ...and these posts are fanned out after it: the restore loses them
    else:
        time.sleep(4)
    fault_redis.kill()
    down = time.monotonic() - poster.started
    changes = [stack.post(f"/api/v1/users/{other.username}/unfollow", token=r.token)[0] for r in leaving]
    changes += [stack.post(f"/api/v1/users/{other.username}/follow", token=r.token)[0] for r in joining]
    time.sleep(3)
    fault_redis.start(keep_snapshot=restart == "from a snapshot")
    back = time.monotonic()
    time.sleep(4)  # posting goes on after the restart
    answers = poster.stop()

    assert changes == [200] * len(changes)  # committed while Redis was down, and said so
    assert [a.status for a in answers if a.status != 201] == []  # every post acknowledged
    # With Redis refusing, a write fails fast: no publish retries, no waiting out timeouts.
    outage = sorted(a.seconds for a in answers if down < a.at < back - poster.started)
    assert outage and outage[-1] < 0.5 and outage[len(outage) // 2] < 0.1, outage
    posted = set(poster.acknowledged)
    expected = {
        r.pk: (r, posted | (other_posts if r in staying + joining else set()), other_posts if r in leaving else set())
        for r in readers
    }
    wait_until(lambda: not timelines_match(stack, expected), timeout=RECOVERY, every=1, what="every timeline right")
    measured(
        f"redis killed, restarted {restart}: {len(posted)} posts acknowledged, "
        f"slowest answer {max(a.seconds for a in answers):.2f} s, while Redis was down median "
        f"{outage[len(outage) // 2] * 1000:.0f} ms and slowest {outage[-1] * 1000:.0f} ms, "
        f"timelines right {time.monotonic() - back:.1f} s after Redis was back"
    )
    assert stack.processes["worker"].poll() is None


def test_redis_paused_under_load(stack_for, fault_redis):
    author, *readers = people(11)
    follow_all(readers, author)
    stack = _started_stack(stack_for, readers)
    poster = Poster(stack, author, pause=0.1).start()
    time.sleep(2)

    fault_redis.pause()
    paused = time.monotonic()
    health, reads = [], []
    while time.monotonic() - paused < 10:
        started = time.monotonic()
        status, _ = stack.get("/healthz", timeout=5)
        health.append((status, time.monotonic() - started))
        started = time.monotonic()
        page = home_ids(stack, readers[0])
        reads.append((page is not None, time.monotonic() - started))
        time.sleep(0.3)
    fault_redis.resume()
    resumed = time.monotonic()
    time.sleep(2)
    answers = poster.stop()

    during = [a for a in answers if paused - poster.started - 1 <= a.at <= resumed - poster.started]
    assert during and [a.status for a in answers if a.status != 201] == []
    assert max(a.seconds for a in during) < 2.0, sorted(a.seconds for a in during)[-5:]
    assert [s for s, _ in health] == [503] * len(health)
    assert max(seconds for _, seconds in health) < 1.0
    assert all(ok for ok, _ in reads) and max(seconds for _, seconds in reads) < 2.0  # from SQL

    posted = set(poster.acknowledged)
    assert Tweet.objects.filter(pk__in=posted).count() == len(posted)  # nothing acknowledged was lost
    expected = {r.pk: (r, posted, set()) for r in readers}
    wait_until(lambda: not timelines_match(stack, expected), timeout=RECOVERY, every=1, what="every timeline right")
    measured(
        f"redis paused 10 s: {len(during)} posts during the pause, slowest {max(a.seconds for a in during):.2f} s; "
        f"/healthz 503 in at most {max(s for _, s in health):.2f} s; home reads at most "
        f"{max(s for _, s in reads):.2f} s; timelines complete {time.monotonic() - resumed:.1f} s after SIGCONT"
    )
