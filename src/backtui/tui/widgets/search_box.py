"""A search box over a list: typing filters, Down or Escape goes to the results."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from backtui.tui.textual_internals import virtual_size_without_layout


class SearchBox(Input):
    """An Input whose size never depends on its text, and whose Down and Escape
    hand over to the results at once.

    Textual's Input asks for a layout of the whole screen whenever its text
    grows or shrinks (its virtual size is a layout reactive), which costs a full
    repaint per keystroke. This box has a fixed width in its pane, so a
    keystroke only needs the box itself repainted.

    Down and Escape are priority keys: the app runs them as they arrive, before
    it hands on the next key. Over SSH "press↓a" often comes in one read, and
    the "a" belongs to the list, so the hand-over is a call (`leave`, given by
    the owner of box and list), not a message, which would arrive too late.
    """

    BINDINGS = [
        Binding("down", "leave('down')", "Results", show=False, priority=True),
        Binding("escape", "leave('escape')", "Results", show=False, priority=True),
    ]

    virtual_size: Reactive[Size] = virtual_size_without_layout()

    def __init__(
        self,
        value: str | None = None,
        *,
        leave: Callable[[str], None] | None = None,
        placeholder: str = "",
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=compact)
        self.leave = leave

    def action_leave(self, key: str) -> None:
        if self.leave is not None:
            self.leave(key)
