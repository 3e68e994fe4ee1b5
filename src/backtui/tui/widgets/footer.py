"""Textual's Footer, rebuilt only when the keys it shows change, and without its leak.

Textual's Footer recomposes on every change of the bindings, which a focus change
always announces: the builder's Tab, `/` and Escape each rebuilt every key
(~65 ms, a full frame). Each rebuilt key was also kept alive for good: Textual
binds each `FooterKey`'s `compact` to the Footer's with `data_bind`, which leaves
a watcher on the Footer holding the key, pruned only when `compact` changes,
which it never does (~260 KB per rebuild; Textualize/textual#6666).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from backtui.tui.textual_internals import forget_data_bind


class BindingsFooter(Footer):
    """A Footer that recomposes only when what it would show differs from what it shows."""

    class KeysShown(Message):
        """The Footer shows the screen's keys for the first time: the screen is ready."""

    def __init__(self, *, show_command_palette: bool = True, compact: bool = False) -> None:
        super().__init__(show_command_palette=show_command_palette, compact=compact)
        self._ready = False  # the screen has announced its bindings once
        self._shown: Hashable = None  # the signature of the keys composed
        self.recomposes = 0  # how many times the keys were built (tests read it)

    def signature(self) -> Hashable:
        """Everything the keys are drawn from: key, how it shows, description,
        action, enabled, tooltip and group of each shown binding, and the palette's."""
        app = self.app
        active = self.screen.active_bindings
        shown = tuple(
            (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
            for _node, b, enabled, tooltip in active.values()
            if b.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            entry = active.get(app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, b, enabled, _tooltip = entry
                palette = (b.key, app.get_key_display(b), b.description, enabled, b.tooltip)
        return (self.compact, shown, palette)

    def bindings_changed(self, screen: Screen) -> None:
        self._ready = True
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if self._ready and self.is_attached and self.signature() == self._shown:
            return  # the same keys: nothing to rebuild, nothing to repaint
        first = self._shown is None
        await super().recompose()
        if first and self._shown is not None:
            self.post_message(self.KeysShown())

    def compose(self) -> ComposeResult:
        if self._ready:
            self._shown = self.signature()
            self.recomposes += 1
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Set once, rather than bound: this Footer's `compact` never changes
                # after it is made, and the binding would keep the key alive forever.
                forget_data_bind(widget)
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact")
            yield widget
