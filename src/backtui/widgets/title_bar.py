"""The line at the top: routine name, unsaved marker, steps and minutes."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TitleBar(Widget):
    """Repaints without a layout when its text changes (it changes on every edit)."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $primary-background; color: $text; }
    """

    text: reactive[Text] = reactive(Text)

    def render(self) -> Text:
        return self.text
