"""A countdown in large block digits, readable from the floor a metre away.

Block glyphs scale by repetition, so the digits grow with the terminal; the
widget repaints only when the text changes (once a second), never re-lays out.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

GLYPHS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", " ██", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": (" ", "█", " ", "█", " "),
    "-": ("   ", "   ", "███", "   ", "   "),
    " ": ("   ",) * 5,
}
GLYPH_ROWS = 5


def render_big(text: str, scale: int) -> list[str]:
    """Rows of block characters; each glyph cell is 2×scale wide and scale tall
    (terminal cells are about twice as tall as wide)."""
    rows = []
    for row in range(GLYPH_ROWS):
        line = " ".join(
            "".join(ch * (2 * scale) for ch in GLYPHS.get(char, GLYPHS[" "])[row]) for char in text
        )
        rows.extend([line] * scale)
    return rows


def big_width(text: str, scale: int) -> int:
    return len(render_big(text, scale)[0])


class BigCountdown(Widget):
    DEFAULT_CSS = """
    BigCountdown { height: 5; width: 100%; content-align: center middle; text-style: bold; }
    """

    text: reactive[str] = reactive("", layout=False)

    def scale(self) -> int:
        width, height = self.content_size
        scale = 1
        while big_width(self.text, scale + 1) <= width and GLYPH_ROWS * (scale + 1) <= height:
            scale += 1
        return scale

    def render(self) -> Text:
        if not self.text:
            return Text("")
        return Text("\n".join(render_big(self.text, self.scale())), no_wrap=True, overflow="crop")
