"""What both of backtui's apps share: the keymap the help reads, and plain notifications."""

from __future__ import annotations

from textual.app import App, ReturnType
from textual.binding import Keymap
from textual.notifications import SeverityLevel

from backtui.core.text import break_long_words


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

        Plain text unless asked (names and paths come from files), and a word too
        wide for the toast, such as a path, is broken after a `/` rather than
        wherever the line ends.
        """
        message = break_long_words(message, toast_text_width(self.size.width))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap = dict(keymap)
        super().set_keymap(keymap)
