"""CPU per Bot API call: PTB's default httpx request against our aiohttp transport.

A ``telegram.Bot`` sends ``--calls`` HTML messages (``--concurrency`` at a time) to the stand-in,
once with PTB's ``HTTPXRequest`` and once with ``bot.telegram.transport.AiohttpRequest``, and
prints calls per second and the CPU time of the event loop's thread per call (the stand-in runs
in its own thread of this process and is not counted).

``python -m bench transport [--calls 3000] [--concurrency 32]``
"""

from __future__ import annotations

import argparse
import asyncio
import time

from telegram import Bot
from telegram.request import BaseRequest

from bot.telegram.transport import AiohttpRequest
from tests.telegram_standin import StandinServer
from tests.telegram_standin.client import fast_request

USERS = 50


async def _measure(server: StandinServer, request: BaseRequest, calls: int, limit: int) -> None:
    bot = Bot(server.token, base_url=server.base_url, request=request)
    async with bot:
        await bot.send_message(1, "warm-up")
        gate = asyncio.Semaphore(limit)

        async def send(number: int) -> None:
            async with gate:
                await bot.send_message(
                    1 + number % USERS, f"<b>Hallo</b> {number}", parse_mode="HTML"
                )

        cpu, began = time.thread_time(), time.perf_counter()
        await asyncio.gather(*(send(number) for number in range(calls)))
        cpu, seconds = time.thread_time() - cpu, time.perf_counter() - began
    name = type(request).__name__
    print(f"{name}: {calls / seconds:.0f} calls/s, CPU {1000 * cpu / calls:.2f} ms per call")


def main() -> None:
    """Entry point for ``python -m bench transport``."""
    parser = argparse.ArgumentParser(prog="bench transport")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with StandinServer(rate_limit=None) as server:
        for user in range(1, USERS + 1):
            server.add_user(user)
        for request in (fast_request(), AiohttpRequest()):
            asyncio.run(_measure(server, request, args.calls, args.concurrency))
