"""Values reused between content versions, kept for one run back only."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.memo import VersionMemo


def counting(value: str, calls: list[str]) -> Callable[[], str]:
    def compute() -> str:
        calls.append(value)
        return value

    return compute


class TestVersionMemo:
    def test_a_key_of_the_previous_run_is_not_computed_again(self) -> None:
        memo: VersionMemo[str, str] = VersionMemo()
        calls: list[str] = []
        memo.next_run()
        memo.get("a", counting("first", calls))

        memo.next_run()
        value = memo.get("a", counting("second", calls))

        assert (value, calls) == ("first", ["first"])

    def test_a_key_unused_for_a_whole_run_is_dropped(self) -> None:
        """Memory stays two versions' worth: a value skipped by one run is computed anew."""
        memo: VersionMemo[str, str] = VersionMemo()
        memo.next_run()
        memo.get("a", lambda: "first")
        memo.next_run()
        memo.get("b", lambda: "b")

        memo.next_run()

        assert memo.get("a", lambda: "second") == "second"
