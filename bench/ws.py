"""The live-event load process: hold N open sockets, act over HTTP, time the frame's arrival.

    python -m bench.ws plan.json

The plan names the HTTP and WebSocket base URLs, the WebSocket server's pid
(to read its memory), the liker's token, and one recipient per socket: its
token and one of its posts. Every socket authenticates with its recipient's
bearer token. Once all are open, the liker likes one recipient's post at a
time over HTTP, and the clock runs from sending the request to that
recipient's socket receiving the `notification` frame. Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import aiohttp

from bench.load import percentile


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Recipient:
    def __init__(self, spec: dict):
        self.token, self.tweet_id = spec["token"], spec["tweet_id"]
        self.socket = None
        self.waiting: asyncio.Future | None = None

    async def listen(self) -> None:
        async for frame in self.socket:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(frame.data)
            if event.get("type") == "notification" and self.waiting and not self.waiting.done():
                self.waiting.set_result(time.perf_counter())


async def open_all(session, plan: dict, recipients: list[Recipient]) -> list[asyncio.Task]:
    gate = asyncio.Semaphore(50)  # open at a steady pace rather than as one burst

    async def open_one(recipient: Recipient) -> None:
        async with gate:
            recipient.socket = await session.ws_connect(
                plan["ws_url"], headers={"Authorization": f"Bearer {recipient.token}"}, heartbeat=None
            )

    await asyncio.gather(*(open_one(r) for r in recipients))
    return [asyncio.create_task(r.listen()) for r in recipients]


async def act(session, plan: dict, recipient: Recipient) -> float | None:
    """Like the recipient's post; milliseconds until its socket hears of it, or None on failure."""
    recipient.waiting = asyncio.get_running_loop().create_future()
    started = time.perf_counter()
    async with session.post(
        f"{plan['base_url']}/api/v1/tweets/{recipient.tweet_id}/like",
        headers={"Authorization": f"Bearer {plan['liker_token']}"},
    ) as response:
        await response.read()
        if response.status >= 400:
            return None
    try:
        arrived = await asyncio.wait_for(recipient.waiting, timeout=5)
    except TimeoutError:
        return None
    return (arrived - started) * 1000


async def run(plan: dict) -> dict:
    recipients = [Recipient(spec) for spec in plan["recipients"]]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        # One socket first, so "idle" already counts the one-time cost of the first connection.
        warm = await session.ws_connect(plan["ws_url"], headers={"Authorization": f"Bearer {recipients[0].token}"})
        await warm.close()
        await asyncio.sleep(1)
        rss_before = rss_kb(plan["ws_pid"])
        opened = time.perf_counter()
        listeners = await open_all(session, plan, recipients)
        open_seconds = time.perf_counter() - opened
        await asyncio.sleep(2)  # let the server settle before reading its memory
        rss_open = rss_kb(plan["ws_pid"])

        rng = random.Random(plan.get("seed", 3))
        order = rng.sample(recipients, min(plan["actions"], len(recipients)))
        timings, failures = [], 0
        for recipient in order:
            elapsed = await act(session, plan, recipient)
            if elapsed is None:
                failures += 1
            else:
                timings.append(elapsed)
            await asyncio.sleep(plan.get("gap_s", 0.02))
        still_open = sum(1 for r in recipients if not r.socket.closed)
        for recipient in recipients:
            await recipient.socket.close()
        for listener in listeners:
            listener.cancel()
    sockets = len(recipients)
    return {
        "sockets": sockets,
        "still_open_after": still_open,
        "open_seconds": round(open_seconds, 2),
        "actions": len(order),
        "failures": failures,
        "ms": {f"p{q}": percentile(timings, q) for q in (50, 95, 99)},
        "max_ms": round(max(timings), 1) if timings else None,
        "server_rss_mb": {"idle": round(rss_before / 1024, 1), "with_sockets": round(rss_open / 1024, 1)},
        "server_mb_per_1000_sockets": round((rss_open - rss_before) / 1024 * 1000 / sockets, 1),
    }


def main() -> None:
    with open(sys.argv[1]) as handle:
        plan = json.load(handle)
    print(json.dumps(asyncio.run(run(plan))))


if __name__ == "__main__":
    main()
