"""What the routine pane says before anything is open: the starters, each a
number away, and where help and quit are."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from backtui.core.document import RoutineListing

MAX_OFFERED = 9  # one digit each


def welcome_text(starters: list[RoutineListing]) -> Text:
    text = Text()
    text.append("Welcome.", "bold")
    if starters:
        text.append(" Start from a ready-made routine: press its number.\n\n")
        for number, item in enumerate(starters[:MAX_OFFERED], start=1):
            text.append(f" {number} ", "bold reverse")
            text.append(f" {item.name}")  # text from a file: never markup
            text.append(f"  ~{item.minutes} min\n", "dim")
        text.append("\nOr build your own from the moves on the left: a adds one.\n")
    else:
        text.append(" Pick moves on the left; a adds one.\n")
        text.append("backtui starters --restore brings back the ready-made routines.\n")
    text.append("\n? keys  ·  ^p commands  ·  ^q quit")
    return text


class Welcome(Static):
    DEFAULT_CSS = """
    Welcome { padding: 0 1; height: 1fr; }
    """

    def show(self, starters: list[RoutineListing]) -> None:
        self.starters = starters[:MAX_OFFERED]
        self.update(welcome_text(starters))
