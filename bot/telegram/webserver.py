"""Webhook mode's HTTP server: Telegram's updates plus the operator's endpoints.

``POST /telegram``  updates from Telegram (checked against ``WEBHOOK_SECRET``)
``GET /healthz``    the process and its event loop are alive
``GET /readyz``     ready to serve: services started, database reachable, schema at head
``GET /metrics``    Prometheus metrics (:mod:`bot.metrics`)

PTB's own ``run_webhook`` serves only the update path, so the application runs "manually"
(initialize, start, stop, shutdown; PTB's custom-webhook pattern) under an aiohttp server.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

from aiohttp import web
from telegram import Update

from bot.app.compose import Services
from bot.errors import SettingsError
from bot.metrics import METRICS
from bot.settings import Settings
from bot.telegram.context import App
from storage.migrate import head_revision

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE_PATH = "/telegram"
READY_TIMEOUT_S = 3.0


def build_web_app(application: App, secret: str) -> web.Application:
    """The aiohttp application with the update path and the operator's endpoints."""

    async def updates(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.Response(status=400, text="malformed update")
        update = Update.de_json(data, application.bot)
        await application.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_: web.Request) -> web.Response:
        problems = await readiness_problems(application.bot_data.services)
        status = 503 if problems else 200
        return web.json_response({"ready": not problems, "problems": problems}, status=status)

    async def metrics(_: web.Request) -> web.Response:
        body, content_type = METRICS.render()
        return web.Response(body=body, headers={"Content-Type": content_type})

    app = web.Application(client_max_size=1 << 20)
    app.router.add_post(UPDATE_PATH, updates)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app


async def readiness_problems(services: Services | None) -> list[str]:
    """What keeps the bot from serving, as short English phrases (empty when ready)."""
    if services is None:
        return ["services not started (content, NLU or database still loading)"]
    try:
        revision = await asyncio.wait_for(services.database.schema_revision(), READY_TIMEOUT_S)
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("readiness: database not reachable (%s)", type(exc).__name__)
        return [f"database not reachable ({type(exc).__name__})"]
    if revision != head_revision():
        return [f"database schema at {revision}, expected {head_revision()}"]
    return []


async def serve_webhook(application: App, settings: Settings) -> None:
    """Run the bot behind the webhook server until SIGTERM or SIGINT."""
    if not settings.webhook_url or settings.webhook_secret is None:
        raise SettingsError("WEBHOOK_URL and WEBHOOK_SECRET are required with --webhook")
    secret = settings.webhook_secret.get_secret_value()
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    runner = web.AppRunner(build_web_app(application, secret), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        await application.start()
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        logger.info("webhook server on %s:%d", settings.webhook_listen, settings.webhook_port)
        await _stopped()
    finally:
        await runner.cleanup()
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _stopped() -> None:
    """Return on SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
