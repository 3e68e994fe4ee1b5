"""The catalogue's search box."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from backtui.tui.textual_internals import virtual_size_without_layout


class SearchBox(Input):
    """An Input whose size never depends on its text.

    Textual's Input asks for a layout of the whole screen whenever its text
    grows or shrinks (its virtual size is a layout reactive), which costs a full
    repaint per keystroke. This box has a fixed width in its pane, so a
    keystroke only needs the box itself repainted.
    """

    virtual_size: Reactive[Size] = virtual_size_without_layout()
