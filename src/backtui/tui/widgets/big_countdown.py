"""A countdown in large block digits, readable from the floor a metre away.

Over SSH every repainted cell costs bytes, and Textual sends a refreshed line
of a widget whole: so each glyph is its own widget, and when a second passes
only the rows of the glyph that changed are drawn again (`7` to `6` redraws
four rows of one glyph, not the clock). Block glyphs could scale by
repetition, but a glyph twice as big costs about three times the bytes every
second: they stay at most `MAX_ROWS` high, which reads from the floor.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
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
    " ": ("   ",) * 5,
}
GLYPH_ROWS = 5
MAX_ROWS = 7  # bigger costs more bytes every second (120x40 and up), for little gain


def glyph_rows(char: str, scale: int) -> list[str]:
    """A glyph as rows of blocks; each pixel is 2×scale cells wide and scale tall
    (terminal cells are about twice as tall as wide)."""
    rows = []
    for row in GLYPHS.get(char, GLYPHS[" "]):
        rows.extend(["".join(pixel * (2 * scale) for pixel in row)] * scale)
    return rows


def glyph_width(char: str, scale: int) -> int:
    return len(GLYPHS.get(char, GLYPHS[" "])[0]) * 2 * scale


def big_width(text: str, scale: int) -> int:
    """Cells across, with one blank column between glyphs."""
    return sum(glyph_width(c, scale) for c in text) + max(len(text) - 1, 0)


class Glyph(Widget):
    DEFAULT_CSS = """
    Glyph { width: auto; height: auto; margin: 0 1 0 0; text-style: bold; }
    Glyph:last-of-type { margin: 0; }
    """

    char: reactive[str] = reactive(" ", repaint=False)
    scale: reactive[int] = reactive(1, layout=True)

    def watch_char(self, old: str, new: str) -> None:
        if glyph_width(old, self.scale) != glyph_width(new, self.scale):
            self.refresh(layout=True)  # rare: a digit and a colon differ in width
            return
        width = glyph_width(new, self.scale)
        for y, (was, now) in enumerate(
            zip(glyph_rows(old, self.scale), glyph_rows(new, self.scale), strict=True)
        ):
            if was != now:  # only the rows that differ are sent to the terminal
                self.refresh(Region(0, y, width, 1))

    def get_content_width(self, container, viewport) -> int:
        return glyph_width(self.char, self.scale)

    def get_content_height(self, container, viewport, width: int) -> int:
        return GLYPH_ROWS * self.scale

    def render(self) -> Text:
        return Text("\n".join(glyph_rows(self.char, self.scale)), no_wrap=True)


class BigCountdown(Horizontal):
    DEFAULT_CSS = """
    BigCountdown { height: 5; width: 100%; align: center middle; }
    """

    text: reactive[str] = reactive("  :  ", layout=False, repaint=False)

    def compose(self) -> ComposeResult:
        # Five glyphs from the start, for MM:SS: the first frame needs no mounting.
        yield from (Glyph() for _ in self.text)

    def scale_for(self, text: str) -> int:
        width, height = self.content_size
        scale = 1
        height = min(height, MAX_ROWS)
        while big_width(text, scale + 1) <= width and GLYPH_ROWS * (scale + 1) <= height:
            scale += 1
        return scale

    def watch_text(self, text: str) -> None:
        glyphs = list(self.query_children(Glyph))
        if len(glyphs) != len(text):
            self.remove_children()
            glyphs = [Glyph() for _ in text]
            self.mount_all(glyphs)
        scale = self.scale_for(text)
        for glyph, char in zip(glyphs, text, strict=True):
            glyph.scale = scale
            glyph.char = char  # an unchanged glyph is not repainted

    def on_resize(self) -> None:
        scale = self.scale_for(self.text)
        for glyph in self.query_children(Glyph):
            glyph.scale = scale
