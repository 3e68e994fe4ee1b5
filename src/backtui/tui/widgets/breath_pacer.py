"""The breathing pacer: in through the nose, out through slightly pursed lips.

Drawn as a short bar that fills on the breath in and empties on the breath out,
derived from the clock like every other timer. It repaints only when a cell of
the bar changes (a few times a second), which keeps it cheap over SSH.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BAR_CELLS = 8  # a cell changes under twice a second: smooth enough, cheap to send


def pacer_text(t: float, inhale_s: float, exhale_s: float, cells: int = BAR_CELLS) -> str:
    """The pacer at `t` seconds into the breathing rhythm."""
    cycle = inhale_s + exhale_s
    t %= cycle
    if t < inhale_s:
        filled = round(cells * t / inhale_s)
        label = "in, nose   "
    else:
        filled = round(cells * (1 - (t - inhale_s) / exhale_s))
        label = "out, lips  "
    return f"{label}[{'=' * filled}{' ' * (cells - filled)}]"


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
