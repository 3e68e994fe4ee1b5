"""One line of text that repaints in place.

`Static.update` asks for a layout of the whole screen, which then repaints
everything; lines that change every second (a title, a progress line, a
label) use this instead, so only the line itself is drawn again.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TextLine(Widget):
    DEFAULT_CSS = """
    TextLine { height: 1; }
    """

    text: reactive[Text] = reactive(Text)

    def __init__(self, text: str | Text = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.set_reactive(TextLine.text, Text(text) if isinstance(text, str) else text)

    def render(self) -> Text:
        return self.text
