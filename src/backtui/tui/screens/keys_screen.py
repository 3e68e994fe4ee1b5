"""Change keys: every binding by id, its keys and what it does; Enter then a key
gives it that key, Delete gives it back its own.

The choice goes into the [keymap] table of config.toml (through the settings,
so it is saved atomically beside them) and is checked exactly as a hand-written
table is (core/keymap.py): a clash is refused with the reason, never applied.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from backtui.core.keymap import check_keymap, key_name, keys_rows, shown_key
from backtui.core.reader import Problems
from backtui.tui.bindings import known_bindings
from backtui.tui.screens.base import Dialog
from backtui.tui.widgets.footer import BindingsFooter


class KeyCatcher(Dialog[str | None]):
    """Waits for one key; Escape cancels."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(f"Press the new key for: {self.what}"), classes="dialog-question")
            yield Label("Escape cancels", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None if event.key == "escape" else event.key)


class KeysScreen(Dialog[None]):
    DEFAULT_CSS = """
    KeysScreen {
        & .dialog-box { width: 100%; height: 100%; }
        & DataTable { height: 1fr; }
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "change", "Change", priority=True),
        Binding("delete,backspace", "reset", "Own key"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text.assemble(
                    ("Keys", "bold"),
                    ": Enter, then a key, changes one; Delete gives it back its own. "
                    "Kept in config.toml's [keymap].",
                ),
                classes="dialog-question",
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)
        yield BindingsFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Keys", "Id (where)", "Does")
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for ident, keys, what in keys_rows(known_bindings(), self.app.keymap):  # type: ignore[attr-defined]
            table.add_row(Text(keys), Text(ident, "dim"), Text(what), key=ident)
        table.move_cursor(row=min(row, table.row_count - 1))

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_change(self) -> None:
        ident = self.selected()
        if ident is None:
            return

        def caught(key: str | None) -> None:
            name = key_name(key) if key else None
            if key and name is None:
                self.notify(f"{key} cannot be used as a key here", severity="warning")
            elif name is not None:
                self.save({**self.app.settings.keymap, ident: name}, ident)  # type: ignore[attr-defined]

        self.app.push_screen(KeyCatcher(ident), caught)

    def action_reset(self) -> None:
        ident = self.selected()
        keymap = dict(self.app.settings.keymap)  # type: ignore[attr-defined]
        if ident is not None and keymap.pop(ident, None) is not None:
            self.save(keymap, ident)

    def save(self, entries: dict[str, str], ident: str) -> None:
        """Check the keymap as a file's would be; apply and keep it only if `ident` is fine."""
        app = self.app
        problems = Problems("keys")
        checked = check_keymap(entries, known_bindings(), problems)
        refused = next((p for p in problems if p.where.endswith(f'"{ident}"')), None)
        if refused is not None:
            self.notify(f"Not changed: {refused.message}", severity="warning")
            return
        app.set_keymap(checked)
        app.apply_settings(replace(app.settings, keymap=entries))  # type: ignore[attr-defined]
        keys = checked.get(ident)
        self.notify(f"{ident}: {shown_key(keys) if keys else 'its own key again'}", timeout=3)
        self.fill()
