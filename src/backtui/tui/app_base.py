"""What both of backtui's apps share: the keymap the help reads, and plain notifications."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.app import App, ReturnType
from textual.binding import Keymap
from textual.notifications import SeverityLevel

from backtui.core.reader import Problem
from backtui.core.text import break_long_words, clean


def toast_text_width(screen_width: int) -> int:
    """Cells a line of a notification has: Textual's Toast is 60 wide, at most half
    the screen beside the rack's scrollbar, less its padding and edge."""
    return max(min(60, screen_width // 2) - 4, 12)


class BacktuiApp(App[ReturnType]):
    BINDING_GROUP_TITLE = "Anywhere"
    TITLE = "backtui"

    def __init__(self) -> None:
        super().__init__()
        # Textual keeps its keymap private; the help needs it to show remapped keys.
        self.keymap: dict[str, str] = {}

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification of the app, from a screen or from here, comes through.

        Plain text unless asked (names and paths come from files), with nothing a
        terminal would obey or hide (control, bidi, zero-width characters), and a
        word too wide for the toast, such as a path, broken after a `/` rather
        than wherever the line ends.
        """
        message = break_long_words(
            clean(message, multiline=True), toast_text_width(self.size.width)
        )
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap = dict(keymap)
        super().set_keymap(keymap)

    def apply_user_keymap(self, entries: Mapping[str, str], path: Path) -> list[Problem]:
        """The person's `[keymap]` from `path`, checked against every binding of the
        apps; the good entries are applied, the problems with the others returned."""
        if not entries:
            return []
        from backtui.core.keymap import load_keymap
        from backtui.tui.bindings import known_bindings  # loads every screen: only when needed

        keymap, problems = load_keymap(entries, known_bindings(), path)
        self.set_keymap(keymap)
        return list(problems)

    def report_skipped(self, problems: Iterable[Problem | str]) -> None:
        """Name every file (and line) that could not be used; everything else still works."""
        errors = [str(p) for p in problems if getattr(p, "is_error", True)]
        if errors:
            shown = "\n".join(errors[:4]) + (
                f"\n… and {len(errors) - 4} more" if len(errors) > 4 else ""
            )
            self.notify(
                f"Skipped, left untouched:\n{shown}", severity="warning", timeout=12, markup=False
            )
