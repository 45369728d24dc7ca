"""Settings are read once from the environment and fail with one clear line."""

from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import Settings, load_settings
from knowledge.loader import KB_DIR


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    names = ("TELEGRAM_BOT_TOKEN", "ADMIN_IDS", "TZ", "NLU_BACKEND", "TELEGRAM_API_URL")
    for name in (*names, "PSEUDONYM_SECRET", "DIGILOTSE_TEST_MODE", "KB_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_defaults_run_locally_without_configuration() -> None:
    settings = load_settings()
    assert settings.nlu_backend == "embedded"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert str(settings.zone) == "Europe/Berlin"


def test_admin_ids_are_parsed_from_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12, 34,56")
    assert load_settings().admin_ids == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        pytest.param("ADMIN_IDS", "12,abc", "ADMIN_IDS", id="admin-ids"),
        pytest.param("ADMIN_IDS", "12,፩", "ADMIN_IDS", id="admin-ids-other-script"),
        pytest.param("TZ", "Mars/Olympus", "TZ", id="time-zone"),
        pytest.param("NLU_BACKEND", "gpt", "NLU_BACKEND", id="nlu-backend"),
        pytest.param("TELEGRAM_API_URL", "ftp://x/bot", "TELEGRAM_API_URL", id="api-url"),
    ],
)
def test_malformed_values_raise_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message) as caught:
        load_settings()
    assert "\n" not in str(caught.value)


def test_missing_token_is_reported_only_when_needed() -> None:
    settings = Settings()
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        settings.require_token()


def test_token_never_appears_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET-TOKEN-VALUE")
    assert "SECRET-TOKEN-VALUE" not in repr(load_settings())


def test_json_log_format_writes_one_json_object_per_line() -> None:
    """LOG_FORMAT=json gives log shippers parseable lines with level, logger and message."""
    import json
    import subprocess
    import sys

    code = (
        "import logging; from bot.settings import configure_logging; "
        "configure_logging('INFO', 'json'); logging.getLogger('bot.x').info('started %d', 3)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["level"] == "INFO"
    assert record["name"] == "bot.x"
    assert record["message"] == "started 3"


def test_development_secret_is_refused_outside_tests() -> None:
    """The default pseudonym secret is public; running with it needs the explicit test flag."""
    with pytest.raises(SettingsError, match="PSEUDONYM_SECRET") as caught:
        load_settings().require_own_secret()
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("PSEUDONYM_SECRET", "a-long-random-secret", id="own-secret"),
        pytest.param("DIGILOTSE_TEST_MODE", "1", id="test-mode"),
    ],
)
def test_own_secret_or_test_mode_is_accepted(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """An own secret, or the development one under DIGILOTSE_TEST_MODE, passes."""
    monkeypatch.setenv(name, value)
    load_settings().require_own_secret()


def test_an_empty_kb_dir_means_the_content_shipped_with_the_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KB_DIR", "")
    assert load_settings().kb_dir == KB_DIR


def test_a_kb_dir_that_does_not_exist_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KB_DIR", str(tmp_path / "fehlt"))
    with pytest.raises(SettingsError, match=r"^KB_DIR: .*is not a directory"):
        load_settings()
