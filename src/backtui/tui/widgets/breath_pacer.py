"""The breathing pacer: in through the nose, out through slightly pursed lips.

Drawn as a short bar that fills on the breath in and empties on the breath out
(the words come from `presenter.pacer_text`), derived from the clock like every
other timer. It repaints only when a cell of the bar changes (a few times a
second), which keeps it cheap over SSH.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from backtui.core.presenter import pacer_text


class BreathPacer(Widget):
    DEFAULT_CSS = """
    BreathPacer { height: 1; color: $text-accent; }
    """

    text: reactive[str] = reactive("", layout=False)

    def on_mount(self) -> None:
        # The text is always the same length: a fixed width keeps changes to a repaint.
        self.styles.width = len(pacer_text(0, 1, 1))

    def render(self) -> Text:
        return Text(self.text)
