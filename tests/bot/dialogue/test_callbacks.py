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


class TestParseId:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param("7", 7, id="plain"),
            pytest.param(str(callbacks.ID_MAX), callbacks.ID_MAX, id="largest"),
            pytest.param("0", None, id="zero"),
            pytest.param(str(callbacks.ID_MAX + 1), None, id="over-the-integer-column"),
            pytest.param("9" * 20, None, id="twenty-digits"),
            pytest.param("፩", None, id="ethiopic-digit"),
            pytest.param("٣", None, id="arabic-indic-digit"),
            pytest.param("-3", None, id="negative"),
            pytest.param("+3", None, id="plus-sign"),
            pytest.param(" 3", None, id="space"),
            pytest.param("1_0", None, id="underscore"),
            pytest.param("", None, id="empty"),
        ],
    )
    def test_accepts_only_ascii_digits_within_the_id_range(
        self, text: str, expected: int | None
    ) -> None:
        assert callbacks.parse_id(text) == expected

    def test_bounds_are_inclusive(self) -> None:
        assert [callbacks.parse_int(t, 0, 4) for t in ("0", "4", "5")] == [0, 4, None]
