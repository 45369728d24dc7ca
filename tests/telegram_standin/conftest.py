"""Fixtures for the stand-in's own tests: a running server with one known user, PTB clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from tests.telegram_standin import StandinServer

USER = 42


@pytest.fixture
def server() -> Iterator[StandinServer]:
    with StandinServer(token="123456:TEST") as running:
        running.add_user(USER, "Erika")
        yield running


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=False) as client:  # plain HTTP; skip loading the CA bundle
        yield client


@pytest.fixture
async def bot(server: StandinServer) -> AsyncIterator[Bot]:
    async with server.bot() as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])
