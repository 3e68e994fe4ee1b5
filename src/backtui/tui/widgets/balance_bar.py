"""The live balance verdict under the routine, with its one-action fix."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from backtui.core.balance import BALANCED, BalanceWarning
from backtui.core.model import Exercise


class BalanceBar(Widget):
    """Shows the warnings of the balance rule; a click asks for the fix.

    A fixed height and a plain `refresh` keep an edit from costing a layout.
    """

    text: reactive[Text] = reactive(Text)

    def render(self) -> Text:
        return self.text

    def update(self, text: Text) -> None:
        self.text = text

    class FixRequested(Message):
        pass

    DEFAULT_CSS = """
    BalanceBar { height: 3; padding: 0 1; background: $panel; }
    BalanceBar.-warning { color: $text-warning; background: $warning-muted; }
    BalanceBar.-balanced { color: $text-success; }
    """

    def show(
        self, warnings: list[BalanceWarning], lookup: Mapping[str, Exercise], has_steps: bool
    ) -> None:
        self.set_class(bool(warnings), "-warning")
        self.set_class(not warnings and has_steps, "-balanced")
        if not has_steps:
            self.update(Text("Add exercises from the catalogue to build a routine."))
            return
        if not warnings:
            self.update(Text(f"✓ {BALANCED}"))
            return
        last = warnings[-1]
        fix = lookup.get(last.suggestions[0])
        text = Text("f", "bold reverse")
        text.append(
            f" add {fix.name if fix else last.suggestions[0]} after step {last.index + 1}\n"
        )
        text.append("! ", "bold")
        text.append(warnings[0].message(lookup))
        if len(warnings) > 1:
            text.append(f" (+{len(warnings) - 1} more)")
        self.update(text)

    def on_click(self) -> None:
        if self.has_class("-warning"):
            self.post_message(self.FixRequested())
