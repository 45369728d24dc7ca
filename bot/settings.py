"""Typed settings, read once from the environment (and an optional ``.env``), failing fast."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.dialogue import callbacks
from bot.errors import SettingsError
from knowledge.loader import KB_DIR

DEFAULT_DB_PATH = Path("data") / "digilotse.sqlite3"
DEVELOPMENT_SECRET = "change-me-in-production"
USER_ID_MAX = 2**63 - 1  # Telegram user ids are positive 64-bit numbers (``BigInteger``)


class Settings(BaseSettings):
    """Everything configurable, with safe defaults for a local terminal chat."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    tz: str = "Europe/Berlin"
    pseudonym_secret: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    digilotse_test_mode: bool = False  # DIGILOTSE_TEST_MODE=1: tests may run the bot insecurely
    database_check_seconds: float = Field(default=10.0, gt=0, le=3600)
    backup_keep_days: int = Field(default=14, ge=1, le=3650)
    privacy_controller: str = Field(
        default="der Betreiber dieses Bots, das Netzwerk der Kommunalen Digitallotsen "
        "Baden-Württemberg",
        min_length=3,
        max_length=300,
    )
    question_retention_days: int = Field(default=90, ge=1, le=3650)
    kb_dir: Path = KB_DIR  # the content files; /neuladen and ``kb reload`` read them again
    content_poll_seconds: float = Field(default=5.0, gt=0, le=3600)
    # the content build process starts this long after start-up, once start-up work is done
    content_build_start_seconds: float = Field(default=10.0, ge=0, le=3600)
    broadcast_pace: float = Field(default=25.0, gt=0, le=1000)
    broadcast_concurrency: int = Field(default=8, ge=1, le=64)
    broadcast_retry_base: float = Field(default=1.0, gt=0, le=60)
    broadcast_retry_cap: float = Field(default=15.0, gt=0, le=600)
    broadcast_retry_attempts: int = Field(default=9, ge=1, le=50)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            ids = [callbacks.parse_int(part, 1, USER_ID_MAX) for part in parts]
            if None in ids:
                raise ValueError("expected comma-separated Telegram user ids, e.g. 123,456")
            return frozenset(ids)
        return value

    @field_validator("kb_dir", mode="before")
    @classmethod
    def _default_kb_dir(cls, value: object) -> object:
        return KB_DIR if value in ("", None) else value

    @field_validator("kb_dir")
    @classmethod
    def _existing_kb_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value

    @field_validator("tz")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_url", "rasa_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.tz)

    def require_token(self) -> str:
        """The bot token, or a ``SettingsError`` naming the missing variable."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        return self.telegram_bot_token.get_secret_value()

    def require_own_secret(self) -> None:
        """Refuse the development pseudonym secret (anyone could recompute the log's keys)."""
        secret = self.pseudonym_secret.get_secret_value()
        if (secret == DEVELOPMENT_SECRET or not secret) and not self.digilotse_test_mode:
            raise SettingsError(
                "PSEUDONYM_SECRET is the development default; set a long random secret "
                "(DIGILOTSE_TEST_MODE=1 allows it in tests)"
            )


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, log_format: str = "text") -> None:
    """Configure logging once, at the entry point: text lines, or JSON lines for log shippers."""
    handler = logging.StreamHandler()
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter(LOG_FORMAT, rename_fields={"levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
