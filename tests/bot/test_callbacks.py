"""Callback data: compact, ASCII, ≤ 64 bytes, and untrusted input rejected."""

import pytest

from bot.dialogue import callbacks


class TestEncode:
    def test_joins_kind_and_arguments(self) -> None:
        assert callbacks.encode("f", "ozg2-rechtsanspruch", "up") == "f:ozg2-rechtsanspruch:up"

    @pytest.mark.parametrize(
        "args",
        [
            pytest.param(("k", "ä"), id="non-ascii"),
            pytest.param(("k", "a:b"), id="separator-in-argument"),
            pytest.param(("k", ""), id="empty-argument"),
            pytest.param(("k", "x" * 41), id="argument-too-long"),
            pytest.param(("k", "x" * 40, "y" * 30), id="over-64-bytes"),
        ],
    )
    def test_refuses_data_telegram_would_reject(self, args: tuple[str, ...]) -> None:
        with pytest.raises(ValueError, match="invalid callback data"):
            callbacks.encode(*args)


class TestDecode:
    def test_round_trips_encoded_data(self) -> None:
        assert callbacks.decode(callbacks.encode("c", 7, "a", 3)) == ("c", "7", "a", "3")

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param(None, id="none"),
            pytest.param("", id="empty"),
            pytest.param("k::x", id="empty-part"),
            pytest.param("k:<script>", id="markup"),
            pytest.param("k:" + "x" * 70, id="too-long"),
            pytest.param("k:\x00", id="control-character"),
        ],
    )
    def test_rejects_forged_data(self, data: str | None) -> None:
        assert callbacks.decode(data) is None
