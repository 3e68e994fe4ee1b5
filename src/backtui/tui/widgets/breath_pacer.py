"""The breathing pacer: in through the nose, out through slightly pursed lips.

Drawn as a short bar that fills on the breath in and empties on the breath out
(the words come from `presenter.pacer_text`), derived from the clock like every
other timer. It is redrawn at most twice a second (`presenter.pacer_wake`), and
then only the cells that changed are sent: one `=` over SSH, not the line.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from backtui.core.presenter import pacer_text


class BreathPacer(Widget):
    DEFAULT_CSS = """
    BreathPacer { height: 1; color: $text-accent; }
    """

    text: reactive[str] = reactive("", layout=False, repaint=False)

    def on_mount(self) -> None:
        # The text is always the same length: a fixed width keeps changes to a repaint.
        self.styles.width = len(pacer_text(0, 1, 1))

    def watch_text(self, old: str, new: str) -> None:
        if len(old) != len(new):
            self.refresh()
            return
        changed = [x for x, (was, now) in enumerate(zip(old, new, strict=True)) if was != now]
        if changed:  # the span from the first changed cell to the last
            self.refresh(Region(changed[0], 0, changed[-1] - changed[0] + 1, 1))

    def render(self) -> Text:
        return Text(self.text)
