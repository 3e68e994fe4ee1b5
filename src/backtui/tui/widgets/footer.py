"""Textual's Footer, with its keys updated in place rather than rebuilt.

Textual's Footer recomposes on every change of the bindings, which a focus change
always announces: the builder's Tab, `/` and Escape each removed every key and
mounted new ones, a frame later (after a refresh), with a layout of the screen
for each. Each rebuilt key was also kept alive for good: Textual binds each
`FooterKey`'s `compact` to the Footer's with `data_bind`, which leaves a watcher
on the Footer holding the key (Textualize/textual#6666).

This Footer keeps its keys: when the bindings change, at once (so in the frame
that shows the focus change), it gives the keys it has their new key,
description and action, hides those it has too many of (for the next time) and
mounts only the keys it never had. A key whose text keeps its width is only
repainted; one that changes width costs one layout (`SteadyFooterKey`). Nothing
is bound, so nothing is kept alive. Binding groups (`Binding.Group`) are shown
as separate keys: no screen of backtui uses them.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from backtui.tui.textual_internals import SteadyFooterKey, set_footer_key_disabled


class KeySpec(NamedTuple):
    """Everything one key of the Footer is drawn from."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str


class ShownKey(SteadyFooterKey):
    """A Footer key that can be given another binding, rather than replaced."""

    def __init__(self, spec: KeySpec, *, compact: bool, classes: str = "") -> None:
        super().__init__(
            spec.key,
            spec.key_display,
            spec.description,
            spec.action,
            disabled=spec.disabled,
            tooltip=spec.tooltip,
            classes=classes,
        )
        self.spec = spec
        # Set, rather than bound to the Footer's (`data_bind`), which would keep
        # the key alive for as long as the Footer: the Footer sets it if it changes.
        self.set_reactive(FooterKey.compact, compact)
        self.set_class(compact, "-compact")

    def show(self, spec: KeySpec) -> bool:
        """Show `spec` instead; False if it is what the key shows already."""
        old = self.spec
        if spec == old:
            return False
        self.spec = spec
        self.key, self.key_display = spec.key, spec.key_display
        self.description, self.action = spec.description, spec.action
        set_footer_key_disabled(self, spec.disabled)
        self.set_class(spec.disabled, "-disabled")
        self.tooltip = spec.tooltip or None
        # A new width moves the keys after it: lay out the Footer, not just repaint.
        resized = cell_len(spec.key_display) != cell_len(old.key_display) or cell_len(
            spec.description
        ) != cell_len(old.description)
        self.refresh(layout=resized)
        return True


class BindingsFooter(Footer):
    """A Footer that updates its keys in place, and only when they change."""

    class KeysShown(Message):
        """The Footer shows the screen's keys for the first time: the screen is ready."""

    def __init__(self, *, show_command_palette: bool = True, compact: bool = False) -> None:
        super().__init__(show_command_palette=show_command_palette, compact=compact)
        self._keys: list[ShownKey] = []  # the keys, in order: those shown, then hidden ones
        self._palette: ShownKey | None = None  # the command palette's key, on the right
        self._shown: tuple[list[KeySpec], KeySpec | None] | None = None
        self._first_pending = False  # the first keys are on their way
        self.updates = 0  # how many times the keys shown changed (tests read it)

    @property
    def shown_keys(self) -> list[FooterKey]:
        """The keys on show, in order, the command palette's last."""
        return [key for key in self._all_keys() if key.display]

    def wanted(self) -> tuple[list[KeySpec], KeySpec | None]:
        """The keys to show, one per action as Textual's Footer shows them, and
        the command palette's key (None if it is not shown)."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, KeySpec] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = KeySpec(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    tooltip,
                )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            entry = active.get(app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                palette = KeySpec(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    binding.tooltip or binding.description,
                )
        return list(keys.values()), palette

    def watch_compact(self, compact: bool) -> None:
        for key in self._all_keys():
            key.compact = compact  # what `data_bind` did in Textual's Footer

    def _all_keys(self) -> list[ShownKey]:
        return [*self._keys, *([self._palette] if self._palette is not None else [])]

    def compose(self) -> ComposeResult:
        return iter(())  # the keys come with the bindings (`bindings_changed`)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return  # as Textual's Footer: brought up to date when the app has focus again
        if not (self.is_attached and screen is self.screen):
            return
        if self._shown is not None:
            self.show_keys()  # now, so the keys change in the frame that shows the focus move
        elif not self._first_pending:
            # Start-up moves the focus more than once: show the keys once it has settled.
            self._first_pending = True
            self.call_after_refresh(self.show_keys)

    async def recompose(self) -> None:
        self.show_keys()  # in place, whoever asks (a recompose would rebuild every key)

    def show_keys(self) -> None:
        """Bring the keys up to date with the screen's bindings."""
        wanted = self.wanted()
        if wanted == self._shown:
            return
        first = self._shown is None
        self._shown = wanted
        self.updates += 1
        specs, palette = wanted
        for key, spec in zip(self._keys, specs, strict=False):
            key.show(spec)
            key.display = True
        for key in self._keys[len(specs) :]:
            key.display = False  # kept for the next time more keys show
        extra = [ShownKey(spec, compact=self.compact) for spec in specs[len(self._keys) :]]
        self._keys += extra
        mounting = [self.mount_all(extra, before=self._palette)] if extra else []
        if self._palette is not None:
            if palette is not None:
                self._palette.show(palette)
            self._palette.display = palette is not None
        elif palette is not None:
            self._palette = ShownKey(palette, compact=self.compact, classes="-command-palette")
            mounting.append(self.mount(self._palette))
        if first:
            self.call_next(self._announce, mounting)

    async def _announce(self, mounting: list[AwaitMount]) -> None:
        for mounted in mounting:
            await mounted
        self.post_message(self.KeysShown())
