"""Typing a 0–10 pain rating with one hand while lying down: digits, and "1 0" for ten."""

from __future__ import annotations

TEN_WINDOW_S = 1.5  # how long after a "1" a "0" still makes ten


def pain_digit(character: str | None) -> int | None:
    """The digit a key typed, for 0–9 only: `str.isdigit` also says yes to "²" and
    "٣", which `int` cannot always read (a key on AZERTY keyboards types "²")."""
    if character is None or len(character) != 1 or character not in "0123456789":
        return None
    return ord(character) - ord("0")


class PainKeys:
    def __init__(self) -> None:
        self._one_at: float | None = None

    def press(self, digit: int, now: float) -> int:
        """The rating after this digit."""
        if digit == 0 and self.expecting_zero(now):
            self._one_at = None
            return 10
        self._one_at = now if digit == 1 else None
        return digit

    def expecting_zero(self, now: float) -> bool:
        """A "1" was just typed: a "0" now would make it ten."""
        return self._one_at is not None and now - self._one_at <= TEN_WINDOW_S
