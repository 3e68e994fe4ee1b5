"""What both of backtui's apps share: the keymap the help reads, and plain notifications."""

from __future__ import annotations

from textual.app import App, ReturnType
from textual.binding import Keymap


class BacktuiApp(App[ReturnType]):
    BINDING_GROUP_TITLE = "Anywhere"
    TITLE = "backtui"

    def __init__(self) -> None:
        super().__init__()
        # Textual keeps its keymap private; the help needs it to show remapped keys.
        self.keymap: dict[str, str] = {}

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap = dict(keymap)
        super().set_keymap(keymap)
